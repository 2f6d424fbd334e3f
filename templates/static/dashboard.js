// vraagbaak dashboard: live updates and one-click "Gebruik". Every page works without this
// script; it only makes the pages follow changes and saves clicks.
(function () {
  'use strict';

  const page = document.body.dataset.page;
  const conversation = document.querySelector('.conversation');
  const conversationId = conversation ? Number(conversation.dataset.id) : null;

  // Re-read the current page and swap in the parts that changed. The reply box is never
  // replaced, so an agent's draft survives every update.
  async function refresh() {
    const url = page === 'conversation' ? location.pathname + '?partial=true' : location.href;
    let html;
    try {
      const res = await fetch(url, { credentials: 'same-origin' });
      if (res.redirected && res.url.includes('/login')) { location.href = '/login'; return; }
      if (!res.ok) return;
      html = await res.text();
    } catch (_) { return; }
    const fresh = new DOMParser().parseFromString(html, 'text/html');
    const swap = (selector) => {
      const now = document.querySelector(selector);
      const next = fresh.querySelector(selector);
      if (now && next) now.replaceWith(next);
      return next;
    };
    if (page === 'inbox') {
      swap('#inbox-rows');
    } else if (page === 'conversation') {
      swap('#conv-header');
      const thread = swap('#thread');
      if (thread) thread.scrollTop = thread.scrollHeight;
      const current = document.querySelector('#suggestions');
      const next = fresh.querySelector('#suggestions');
      if (current && next && current.dataset.latest !== next.dataset.latest) current.replaceWith(next);
      const send = document.querySelector('#send');
      const freshSend = fresh.querySelector('#send');
      if (send && freshSend) send.disabled = freshSend.disabled;
    }
  }

  let pending = null;
  function scheduleRefresh() {
    clearTimeout(pending);
    pending = setTimeout(refresh, 100);
  }

  function connect() {
    if (page !== 'inbox' && page !== 'conversation') return;
    const live = document.querySelector('#live');
    // The dot's colour is not the only sign (WCAG 1.4.1): its text says the state too.
    const showLive = (on) => {
      if (!live) return;
      live.classList.toggle('on', on);
      const text = live.querySelector('.live-text');
      if (text) text.textContent = on ? 'Live' : 'Niet live';
    };
    const source = new EventSource('/events');
    source.onopen = () => showLive(true);
    source.onerror = () => showLive(false);
    source.addEventListener('change', (e) => {
      let event;
      try { event = JSON.parse(e.data); } catch (_) { return; }
      if (page === 'inbox' || event.conversation_id === conversationId) scheduleRefresh();
    });
    source.addEventListener('reload', scheduleRefresh);
  }

  // "Gebruik": put the suggested answer into the reply box, ready to edit.
  document.addEventListener('click', (e) => {
    const use = e.target.closest('a.use');
    if (use) {
      const suggestion = use.closest('.suggestion');
      const text = document.querySelector('#reply-text');
      const article = document.querySelector('#reply-article');
      if (!suggestion || !text) return;
      e.preventDefault();
      // The answer with its links, as Markdown: sent, it is exactly what the bot sends.
      text.value = use.dataset.reply;
      if (article) article.value = use.dataset.article;
      text.focus();
      text.setSelectionRange(0, 0);
      text.scrollIntoView({ block: 'center' });
      return;
    }
    const copy = e.target.closest('button.copy');
    if (copy && navigator.clipboard) {
      navigator.clipboard.writeText(copy.dataset.copy).then(() => { copy.textContent = 'Gekopieerd'; });
    }
  });

  // Typing over a used suggestion keeps its article id: the store records "sent edited".
  // The inbox filters apply with their Filter button only: a control that navigates as soon as
  // it changes moves keyboard users away on every arrow key (WCAG 3.2.2).

  const thread = document.querySelector('#thread');
  if (thread) thread.scrollTop = thread.scrollHeight;
  connect();
})();
