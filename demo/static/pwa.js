// Registers the service worker and tells the app (window.localfulPwa, the
// `localful:update-ready` event) when a new build is installed and waiting.
(() => {
  const pwa = (window.localfulPwa = { updateReady: false, applyUpdate: () => location.reload() });
  if (!('serviceWorker' in navigator)) return;
  let applying = false;

  const ready = (worker) => {
    pwa.updateReady = true;
    pwa.applyUpdate = () => {
      applying = true;
      worker.postMessage({ type: 'SKIP_WAITING' });
    };
    window.dispatchEvent(new CustomEvent('localful:update-ready'));
  };

  // The new build took over (only after the user asked): reload into it.
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (applying) location.reload();
  });

  window.addEventListener('load', async () => {
    try {
      const reg = await navigator.serviceWorker.register('/sw.js', { scope: '/', updateViaCache: 'none' });
      if (reg.waiting && navigator.serviceWorker.controller) ready(reg.waiting);
      reg.addEventListener('updatefound', () => {
        const worker = reg.installing;
        worker?.addEventListener('statechange', () => {
          if (worker.state === 'installed' && navigator.serviceWorker.controller) ready(worker);
        });
      });
      // Look for a new deployment now and then, and whenever the app comes back to the foreground.
      setInterval(() => reg.update().catch(() => {}), 30 * 60 * 1000);
      document.addEventListener('visibilitychange', () => {
        if (document.visibilityState === 'visible') reg.update().catch(() => {});
      });
    } catch (err) {
      console.warn('service worker not registered:', err);
    }
  });
})();
