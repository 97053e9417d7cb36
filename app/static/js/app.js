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
    button.setAttribute("aria-label", flash.dataset.dismissLabel || "Dismiss message");
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
        button.textContent = button.dataset.copied || "Copied ✓";
      } catch {
        button.textContent = button.dataset.copyFailed || "Copy failed — select the text";
      }
      window.setTimeout(() => { button.textContent = label; }, 2000);
    });
  }

  // A guessed character opens and closes its alternatives on tap, click, Enter or Space; Escape closes.
  for (const button of document.querySelectorAll("button[data-guess]")) {
    const toggle = (open) => button.setAttribute("aria-expanded", String(open));
    button.addEventListener("click", () => toggle(button.getAttribute("aria-expanded") !== "true"));
    button.addEventListener("keydown", (event) => { if (event.key === "Escape") toggle(false); });
    button.addEventListener("blur", () => toggle(false));
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

  // On a small screen the filter panel starts folded, so the results come first; it opens on demand.
  const narrow = window.matchMedia("(max-width: 960px)");
  for (const panel of document.querySelectorAll("details[data-collapse-narrow]")) {
    const fit = () => { panel.open = !narrow.matches; };
    fit();
    narrow.addEventListener("change", fit);
  }

  // The add-paper form says at once when an arXiv id or DOI is already catalogued (the server checks again).
  const lookupResult = document.querySelector("[data-lookup-result]");
  if (lookupResult && window.fetch) {
    const form = lookupResult.closest("form");
    const ownSlug = form ? form.dataset.paperSlug || "" : "";
    const check = async (field) => {
      const value = field.value.trim();
      lookupResult.replaceChildren();
      if (value.length < 4) return;
      try {
        const response = await fetch(`/api/v1/papers/lookup?${new URLSearchParams({ [field.name]: value })}`, {
          headers: { Accept: "application/json" },
        });
        if (!response.ok) return;
        const found = await response.json();
        if (!found.paper || found.paper.slug === ownSlug) return;
        const link = document.createElement("a");
        link.href = `/papers/${encodeURIComponent(found.paper.slug)}`;
        link.textContent = found.paper.title;
        const note = document.createElement("p");
        note.className = "lookup-found";
        note.append(lookupResult.dataset.foundLabel || "Already in the catalogue:", " ", link);
        lookupResult.append(note);
      } catch {
        // Offline or refused: the server still refuses duplicates when the form is sent.
      }
    };
    for (const name of ["arxiv_id", "doi"]) {
      const field = form && form.elements.namedItem(name);
      if (field) field.addEventListener("change", () => check(field));
    }
  }

  // After a failed submit, move focus to the list of problems so keyboard and screen-reader users hear it.
  const summary = document.querySelector(".error-summary");
  if (summary) summary.focus();
})();
