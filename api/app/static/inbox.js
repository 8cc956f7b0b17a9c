// One hand-off: new client messages appear without reloading; the thread is fetched again every 2 seconds.
(function () {
  const live = document.getElementById("live");
  if (!live) return;
  async function refresh() {
    try {
      const res = await fetch(live.dataset.url, {credentials: "same-origin"});
      if (res.ok) {
        const html = await res.text();
        const doc = new DOMParser().parseFromString(html, "text/html");
        const fresh = doc.getElementById("thread");
        if (fresh && fresh.outerHTML !== document.getElementById("thread").outerHTML) {
          document.getElementById("thread").replaceWith(fresh);
        }
      }
    } catch (e) { /* offline for a moment: try again next round */ }
  }
  setInterval(refresh, 2000);
})();
