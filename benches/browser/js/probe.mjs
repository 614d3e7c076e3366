// The cross-tab probe, in the viewing tab: resolves `window.__probe` with the time (ms since the
// epoch, sub-millisecond: performance.timeOrigin + performance.now(), comparable across tabs of
// one browser) at which element `elementId` first shows `text` — checked by a MutationObserver,
// whose callback runs right after the DOM changed.

/** Arms the probe for `elementId` showing `text`. */
export function arm(elementId, text) {
  window.__probe = new Promise((resolve) => {
    const observer = new MutationObserver(() => check());
    const check = () => {
      const element = document.getElementById(elementId);
      if (element && element.textContent === text) {
        const at = performance.timeOrigin + performance.now();
        observer.disconnect();
        resolve(at);
      }
    };
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    check();
  });
}
