// Shared by the staff pages (a file, not inline: the Content-Security-Policy allows scripts from /static only).

// The unread badge: hand-offs of mine with messages I have not seen.
(function () {
  const el = document.getElementById("unread");
  if (!el) return;  // cultuurvertalers have no inbox
  (async function badge() {
    try {
      const res = await fetch("/inbox/badge", {credentials: "same-origin"});
      if (res.ok) { const n = (await res.json()).unread; el.textContent = n; el.hidden = n === 0; }
    } catch (e) { /* offline for a moment: try again next round */ }
    setTimeout(badge, 10000);
  })();
})();
