// Paper Atlas: the add form's "Fill in" without a page load. Without this file the button posts the form
// and the server sends it back filled; when anything here goes wrong, that round trip is the fallback.
(() => {
  "use strict";
  const box = document.querySelector("[data-fill-in]");
  if (!box || !window.fetch) return;
  const form = box.closest("form");
  const input = form && form.elements.namedItem("lookup");
  const button = box.querySelector("[data-fill-button]");
  const status = box.querySelector("[data-fill-status]");
  if (!form || !input || !button || !status) return;

  const say = (className, ...parts) => {
    const line = document.createElement("p");
    line.className = className;
    line.append(...parts);
    status.replaceChildren(line);
    return line;
  };
  const roundTrip = () => (form.requestSubmit ? form.requestSubmit(button) : form.submit());

  const fieldsOf = (record) => ({
    title: record.title,
    authors: (record.authors || []).join("\n"),
    summary: record.abstract,
    year: record.year ? String(record.year) : "",
    venue: record.venue,
    url: record.url,
    pdf_url: record.pdf_url,
    arxiv_id: record.arxiv_id,
    doi: record.doi,
  });

  const fill = (record) => {
    for (const [name, value] of Object.entries(fieldsOf(record))) {
      const field = form.elements.namedItem(name);
      if (field && value) field.value = value;
    }
  };

  button.addEventListener("click", async (event) => {
    const text = input.value.trim();
    if (!text) return; // the server explains what to paste
    event.preventDefault();
    button.disabled = true;
    say("fill-in-working", box.dataset.msgWorking || "…");
    try {
      const response = await fetch(`/api/v1/metadata?${new URLSearchParams({ q: text })}`, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      const body = await response.json().catch(() => ({}));
      if (response.status === 401 || response.status === 403) {
        roundTrip();
        return;
      }
      if (!response.ok) {
        const unavailable = response.status === 503 || body.code === "metadata_fetch_off";
        // The API explains other refusals in English; the page round trip says it in the reader's language.
        if (!unavailable) {
          roundTrip();
          return;
        }
        say("fill-in-unavailable", body.code === "metadata_fetch_off" ? box.dataset.msgOff : box.dataset.msgUnavailable);
        return;
      }
      fill(body.record);
      const source = body.record.source === "crossref" ? "Crossref" : "arXiv";
      say("fill-in-done", (box.dataset.msgFilled || "").replace("{source}", source));
      if (body.existing) {
        const link = document.createElement("a");
        link.href = `/papers/${encodeURIComponent(body.existing.slug)}`;
        link.textContent = body.existing.title;
        const note = document.createElement("p");
        note.className = "fill-in-existing";
        note.append(box.dataset.msgExisting || "", " ", link);
        status.append(note);
      }
    } catch {
      roundTrip();
    } finally {
      button.disabled = false;
    }
  });
})();
