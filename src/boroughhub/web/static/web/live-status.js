// Keeps a status region up to date while background work runs, without reloading the page under the
// reader (a timed meta refresh fails WCAG 2.2.1). The region is the element with data-live-status; every
// data-live-seconds it fetches this page again and swaps in the new region, which a role="status" inside
// announces politely. When the fetched region is gone (the work is over) or has moved to another phase
// (data-live-phase: the files are loaded, linkage follows), reload once so the rest of the page, such as
// the validation report, follows. "Stop updating" stops it (WCAG 2.2.2).
const region = document.querySelector("[data-live-status]");

if (region) {
  const seconds = Number(region.dataset.liveSeconds || "3");
  let timer = null;

  const stop = () => {
    window.clearTimeout(timer);
    timer = null;
  };

  const poll = async () => {
    try {
      const response = await fetch(window.location.href, { headers: { Accept: "text/html" }, credentials: "same-origin" });
      if (response.ok) {
        const fetched = new DOMParser().parseFromString(await response.text(), "text/html");
        const next = fetched.querySelector("[data-live-status]");
        if (!next || next.dataset.livePhase !== region.dataset.livePhase) {
          window.location.reload();
          return;
        }
        region.replaceChildren(...Array.from(next.childNodes).map((node) => document.importNode(node, true)));
        bindStop();
      }
    } catch (error) {
      // A failed fetch (the server restarting, the network) is tried again at the next tick.
    }
    if (timer !== null) {
      timer = window.setTimeout(poll, seconds * 1000);
    }
  };

  const bindStop = () => {
    const button = region.querySelector("[data-live-stop]");
    if (!button) return;
    button.hidden = timer === null;
    button.addEventListener("click", () => {
      stop();
      button.hidden = true;
    });
  };

  timer = window.setTimeout(poll, seconds * 1000);
  bindStop();
}
