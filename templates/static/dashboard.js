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
    const swap = (selector) => swapFrom(fresh, selector);
    if (page === 'inbox') {
      swap('#inbox-rows');
    } else if (page === 'conversation') {
      swap('#conv-header');
      const thread = swap('#thread');
      if (thread) thread.scrollTop = thread.scrollHeight;
      const current = document.querySelector('#suggestions');
      const next = fresh.querySelector('#suggestions');
      if (current && next && current.dataset.latest !== next.dataset.latest) current.replaceWith(next);
      takeReplyState(fresh);
    }
  }

  // Replaces the element at `selector` with its copy in `fresh`; returns the copy.
  function swapFrom(fresh, selector) {
    const now = document.querySelector(selector);
    const next = fresh.querySelector(selector);
    if (now && next) now.replaceWith(next);
    return next;
  }

  // The reply form's state from a fresh copy of the page: whether Verstuur may be used, and
  // who holds the conversation ("Overnemen en versturen"). The reply box itself is kept.
  function takeReplyState(fresh) {
    const send = document.querySelector('#send');
    const freshSend = fresh.querySelector('#send');
    if (send && freshSend) send.disabled = freshSend.disabled;
    swapFrom(fresh, '#reply-state');
  }

  // The reply draft survives a reload, per conversation, in this tab only (sessionStorage:
  // it may hold personal data). It is cleared once the reply was sent.
  const reply = document.querySelector('#reply');
  const draftKey = conversationId ? 'vraagbaak:draft:' + conversationId : null;
  function saveDraft() {
    const text = document.querySelector('#reply-text');
    const article = document.querySelector('#reply-article');
    const via = document.querySelector('#reply-via');
    if (!draftKey || !text) return;
    try {
      if (text.value.trim() === '') sessionStorage.removeItem(draftKey);
      else sessionStorage.setItem(draftKey, JSON.stringify({ text: text.value, article: article ? article.value : '', via: via ? via.value : '' }));
    } catch (_) { /* storage full or off: the draft stays in the box */ }
  }
  function restoreDraft() {
    const text = document.querySelector('#reply-text');
    const article = document.querySelector('#reply-article');
    // "Gebruik" without JavaScript (?use=) and a refused reply bring their own text.
    if (!draftKey || !text || text.value !== '') return;
    let saved = null;
    try { saved = JSON.parse(sessionStorage.getItem(draftKey) || 'null'); } catch (_) { return; }
    if (!saved || typeof saved.text !== 'string') return;
    text.value = saved.text;
    if (article && typeof saved.article === 'string') article.value = saved.article;
    if (typeof saved.via === 'string') setVia(saved.via);
  }

  // Sending stays on the page when it fails: the reason appears beside the reply box, which
  // keeps the text. A sent reply clears the draft and shows the conversation.
  async function sendReply(e) {
    e.preventDefault();
    saveDraft();
    const body = new URLSearchParams(new FormData(reply, e.submitter));
    const buttons = reply.querySelectorAll('button[type=submit]');
    buttons.forEach((b) => { b.dataset.wasDisabled = b.disabled; b.disabled = true; });
    let res = null;
    try {
      res = await fetch(reply.action, { method: 'POST', body, credentials: 'same-origin' });
    } catch (_) { /* no connection: said below */ }
    buttons.forEach((b) => { b.disabled = b.dataset.wasDisabled === 'true'; });
    if (res && res.ok && res.url.includes('/login')) {
      showReplyError('U bent uitgelogd. Log opnieuw in; uw antwoord blijft in dit tabblad bewaard.');
      return;
    }
    if (res && res.ok) {
      if (draftKey) sessionStorage.removeItem(draftKey);
      location.assign(res.url);
      return;
    }
    let fresh = null;
    if (res) {
      try { fresh = new DOMParser().parseFromString(await res.text(), 'text/html'); } catch (_) { fresh = null; }
    }
    if (fresh && fresh.querySelector('#reply-error')) {
      takeReplyState(fresh);
      swapFrom(fresh, '#conv-header');
    } else {
      showReplyError(res ? 'Versturen lukte niet (' + res.status + '). Uw antwoord staat er nog; probeer het opnieuw.'
        : 'Versturen lukte niet: geen verbinding. Uw antwoord staat er nog; probeer het opnieuw.');
    }
  }
  function showReplyError(message) {
    const state = document.querySelector('#reply-state');
    if (!state) return;
    let error = state.querySelector('#reply-error');
    if (!error) {
      error = document.createElement('p');
      error.id = 'reply-error';
      error.className = 'error';
      error.setAttribute('role', 'alert');
      state.append(error);
    }
    error.textContent = message;
  }
  if (reply) {
    restoreDraft();
    reply.addEventListener('input', saveDraft);
    reply.addEventListener('submit', sendReply);
  }

  let pending = null;
  function scheduleRefresh() {
    clearTimeout(pending);
    pending = setTimeout(refresh, 100);
  }

  function connect() {
    const live = document.querySelector('#live');
    // Only the inbox and a conversation follow changes; elsewhere the dot would say nothing.
    if (page !== 'inbox' && page !== 'conversation') { if (live) live.hidden = true; return; }
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
      setVia(use.dataset.via || 'suggestion');
      saveDraft();
      text.focus();
      text.setSelectionRange(0, 0);
      text.scrollIntoView({ block: 'center' });
      return;
    }
    const copy = e.target.closest('button.copy');
    if (copy && navigator.clipboard) {
      navigator.clipboard.writeText(copy.dataset.copy).then(() => { copy.textContent = 'Gekopieerd'; });
      // Remembered (an article's text, no personal data) so that pasting it into a reply
      // records which article was used and that it was found through the search.
      try { localStorage.setItem(copiedKey, JSON.stringify({ article: copy.dataset.article, text: copy.dataset.copy })); } catch (_) { /* off */ }
    }
  });

  const copiedKey = 'vraagbaak:copied';
  function setVia(via) {
    const field = document.querySelector('#reply-via');
    if (field) field.value = via;
  }
  const sameWords = (a, b) => a.trim().split(/\s+/).join(' ') === b.trim().split(/\s+/).join(' ');
  // Pasting the answer copied on the knowledge-base page: the reply used that article.
  document.addEventListener('paste', (e) => {
    if (!e.target.matches || !e.target.matches('#reply-text') || !e.clipboardData) return;
    let copied = null;
    try { copied = JSON.parse(localStorage.getItem(copiedKey) || 'null'); } catch (_) { return; }
    if (!copied || typeof copied.text !== 'string' || !copied.article) return;
    if (!sameWords(e.clipboardData.getData('text'), copied.text)) return;
    const article = document.querySelector('#reply-article');
    if (article) article.value = copied.article;
    setVia('search');
    // saveDraft runs on the input event that follows the paste.
  });

  // Typing over a used suggestion keeps its article id: the store records "sent edited".
  // The inbox filters apply with their Filter button only: a control that navigates as soon as
  // it changes moves keyboard users away on every arrow key (WCAG 3.2.2).

  const thread = document.querySelector('#thread');
  if (thread) thread.scrollTop = thread.scrollHeight;
  connect();
})();
