// Paper Atlas: small progressive enhancements. Every page works without this file.
(() => {
  "use strict";
  const root = document.documentElement;
  root.classList.add("js");

  // "/" jumps to the search box, as on many catalogue sites, unless the visitor is typing somewhere.
  document.addEventListener("keydown", (event) => {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    const active = document.activeElement;
    if (active && (active.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName))) return;
    const search = document.querySelector("[data-shortcut='/']");
    if (search) {
      event.preventDefault();
      search.focus();
      search.select();
    }
  });

  // Flash messages can be dismissed.
  for (const flash of document.querySelectorAll("[data-dismissable]")) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "dismiss";
    button.setAttribute("aria-label", "Dismiss message");
    button.textContent = "×";
    button.addEventListener("click", () => flash.remove());
    flash.append(button);
  }

  // Selects that change the view (sorting) apply at once; their submit button is only needed without script.
  for (const select of document.querySelectorAll("select[data-autosubmit]")) {
    const form = select.form;
    if (!form) continue;
    for (const button of form.querySelectorAll("[data-autosubmit-button]")) button.hidden = true;
    select.addEventListener("change", () => form.requestSubmit ? form.requestSubmit() : form.submit());
  }

  // Copy buttons (BibTeX): hidden without script, since copying needs it.
  for (const button of document.querySelectorAll("button[data-copy-target]")) {
    const source = document.querySelector(button.dataset.copyTarget);
    if (!source || !navigator.clipboard) continue;
    button.hidden = false;
    const label = button.textContent;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(source.textContent.trim());
        button.textContent = "Copied ✓";
      } catch {
        button.textContent = "Copy failed — select the text";
      }
      window.setTimeout(() => { button.textContent = label; }, 2000);
    });
  }

  // Star ratings say in words what the chosen score means.
  for (const group of document.querySelectorAll("[data-star-input]")) {
    const output = group.querySelector("[data-score-text]");
    if (!output) continue;
    const describe = () => {
      const checked = group.querySelector("input:checked");
      output.textContent = checked ? checked.dataset.meaning || "" : "";
    };
    group.addEventListener("change", describe);
    describe();
  }

  // After a failed submit, move focus to the list of problems so keyboard and screen-reader users hear it.
  const summary = document.querySelector(".error-summary");
  if (summary) summary.focus();
})();
