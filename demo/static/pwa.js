// Registers the service worker and tells the app (window.localfulPwa, the
// `localful:update-ready` event) when a new build is installed and waiting; keeps the browser's
// install offer (`beforeinstallprompt`) for the app's own "Install" button (`canInstall`,
// `install()`, the `localful:install-changed` event).
(() => {
  const pwa = (window.localfulPwa = { updateReady: false, applyUpdate: () => location.reload() });

  // The browser offers installation when the app is installable and not installed; the app
  // shows its own button instead of the browser's mini-infobar, and asks when the user clicks.
  let offer = null;
  const installChanged = () => window.dispatchEvent(new CustomEvent('localful:install-changed'));
  pwa.canInstall = false;
  pwa.install = async () => {
    if (!offer) return 'unavailable';
    const shown = offer;
    offer = null;
    pwa.canInstall = false;
    installChanged();
    await shown.prompt();
    const { outcome } = await shown.userChoice;
    return outcome;
  };
  window.addEventListener('beforeinstallprompt', (event) => {
    event.preventDefault();
    offer = event;
    pwa.canInstall = true;
    installChanged();
  });
  window.addEventListener('appinstalled', () => {
    offer = null;
    pwa.canInstall = false;
    installChanged();
  });
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
