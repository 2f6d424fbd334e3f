/*
 * vraagbaak resident chat widget.
 *
 * Embed with: <script src="https://SERVER/widget.js" defer></script>
 * Optional: data-open="true" opens the panel at once.
 *
 * Plain ES2020, no dependencies. Resident text is inserted with textContent; replies are
 * rebuilt as DOM nodes from the server's rendered HTML, through an allowlist.
 */
(() => {
  'use strict';

  const script = document.currentScript;
  if (!script || !script.src || window.vraagbaakWidgetLoaded) return;
  window.vraagbaakWidgetLoaded = true;

  // Everything (API, stylesheet) lives on the origin the script came from.
  const base = new URL(script.src, location.href).origin;
  const TOKEN_KEY = `vraagbaak.token.${base}`;
  const BACKOFF_MS = [1000, 2000, 5000, 10000, 30000];
  const GENERIC_ERROR = 'Er ging iets mis. Probeer het later opnieuw.';
  const NETWORK_ERROR = 'Er is geen verbinding met de gemeente. Controleer uw internetverbinding en probeer het opnieuw.';

  const state = {
    municipality: '',
    maxChars: 1000,
    token: readToken(),
    lastId: 0,            // highest message id shown
    seen: new Set(),      // ids shown, to never show a message twice
    source: null,         // the EventSource, once a token exists
    retry: 0,             // index into BACKOFF_MS
    retryTimer: 0,
    busy: false,
  };

  // ---- token storage (localStorage may be unavailable, e.g. blocked cookies) ----
  function readToken() {
    try { return localStorage.getItem(TOKEN_KEY) || ''; } catch { return ''; }
  }
  function saveToken(token) {
    state.token = token || '';
    try {
      if (token) localStorage.setItem(TOKEN_KEY, token); else localStorage.removeItem(TOKEN_KEY);
    } catch { /* keep it in memory only */ }
  }

  // ---- DOM helpers ----
  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text;
    return node;
  }

  // ---- build the widget ----
  const css = el('link');
  css.rel = 'stylesheet';
  css.href = `${base}/widget.css`;
  document.head.appendChild(css);

  const root = el('div', 'vb-root');
  root.hidden = true; // shown once the stylesheet has loaded, to avoid a flash of unstyled content
  const reveal = () => {
    root.hidden = false;
    if (!panel.hidden) { scrollToEnd(); input.focus(); }
  };
  css.addEventListener('load', reveal);
  css.addEventListener('error', reveal);

  const toggle = el('button', 'vb-toggle', 'Chat met de gemeente');
  toggle.type = 'button';
  toggle.setAttribute('aria-expanded', 'false');
  toggle.setAttribute('aria-controls', 'vb-panel');
  const unread = el('span', 'vb-unread', 'nieuw bericht'); // appended while there is unread news

  const panel = el('div', 'vb-panel');
  panel.id = 'vb-panel';
  panel.hidden = true;
  panel.setAttribute('role', 'dialog');
  panel.setAttribute('aria-label', 'Chat met de gemeente');

  const header = el('div', 'vb-header');
  const title = el('h2', 'vb-title', 'Chat met de gemeente');
  const close = el('button', 'vb-close', '\u00d7');
  close.type = 'button';
  close.setAttribute('aria-label', 'Chat sluiten');
  header.append(title, close);

  // Info section: welcome, privacy notice, office hours.
  const info = el('div', 'vb-info');
  const welcome = el('p', 'vb-welcome');
  const privacy = el('p', 'vb-privacy');
  privacy.setAttribute('role', 'note');
  const hoursBox = el('div', 'vb-hours-box');
  const closedNote = el('p', 'vb-closed', 'Wij zijn nu gesloten; een medewerker antwoordt zo snel mogelijk.');
  closedNote.hidden = true;
  const hoursTitle = el('p', 'vb-hours-title', 'Openingstijden');
  const hours = el('ul', 'vb-hours');
  hoursBox.append(closedNote, hoursTitle, hours);
  hoursBox.hidden = true;
  info.append(welcome, privacy, hoursBox);

  const messages = el('div', 'vb-messages');
  messages.setAttribute('role', 'log');
  messages.setAttribute('aria-live', 'polite');
  messages.setAttribute('aria-label', 'Berichten');

  const body = el('div', 'vb-body'); // scrolls: info, then the conversation
  // A scrolling region must take keyboard focus, or keyboard users cannot scroll it (WCAG 2.1.1).
  body.tabIndex = 0;
  body.setAttribute('role', 'region');
  body.setAttribute('aria-label', 'Gesprek');
  body.append(info, messages);

  const error = el('div', 'vb-error');
  error.setAttribute('role', 'alert');

  const form = el('form', 'vb-form');
  form.noValidate = true;
  const label = el('label', 'vb-label', 'Uw vraag');
  label.htmlFor = 'vb-input';
  const input = el('textarea', 'vb-input');
  input.id = 'vb-input';
  input.name = 'text';
  input.rows = 3;
  input.maxLength = state.maxChars;
  input.setAttribute('aria-describedby', 'vb-hint vb-counter');
  const row = el('div', 'vb-form-row');
  const hint = el('span', 'vb-hint', 'Enter verstuurt, Shift+Enter geeft een nieuwe regel.');
  hint.id = 'vb-hint';
  const counter = el('span', 'vb-counter');
  counter.id = 'vb-counter';
  counter.hidden = true;
  const send = el('button', 'vb-send', 'Verstuur');
  send.type = 'submit';
  row.append(hint, counter, send);
  form.append(label, input, row);

  panel.append(header, body, error, form);
  root.append(panel, toggle);
  document.body.appendChild(root);

  // ---- panel open/close ----
  function setOpen(open) {
    panel.hidden = !open;
    root.classList.toggle('vb-is-open', open);
    toggle.setAttribute('aria-expanded', String(open));
    if (open) {
      unread.remove();
      scrollToEnd();
      input.focus();
    }
  }
  toggle.addEventListener('click', () => setOpen(panel.hidden));
  close.addEventListener('click', () => { setOpen(false); toggle.focus(); });
  panel.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') { e.preventDefault(); setOpen(false); toggle.focus(); }
  });

  function showError(text) { error.textContent = text || ''; }

  function scrollToEnd() { body.scrollTop = body.scrollHeight; }

  // ---- rendering messages ----
  // Replies arrive with server-rendered HTML (web/render.rs: text escaped, links only
  // http(s), mailto and tel). It is parsed inert and rebuilt node by node from an allowlist,
  // so only these elements and a checked href ever reach the page.
  const BLOCKS = new Set(['P', 'UL', 'OL', 'LI', 'BLOCKQUOTE', 'PRE', 'BR', 'HR']);
  const INLINES = new Set(['STRONG', 'EM', 'S', 'CODE']);
  const SKIP = new Set(['SCRIPT', 'STYLE', 'TEMPLATE', 'IFRAME', 'OBJECT']);
  const SAFE_HREF = /^(https?:\/\/|mailto:|tel:)/i;

  function link(href, text) {
    const a = el('a', 'vb-link', text);
    a.href = href;
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    return a;
  }

  function copyAllowed(from, to) {
    for (const node of from.childNodes) {
      if (node.nodeType === Node.TEXT_NODE) {
        to.appendChild(document.createTextNode(node.textContent));
        continue;
      }
      if (node.nodeType !== Node.ELEMENT_NODE || SKIP.has(node.tagName)) continue;
      const tag = node.tagName;
      const href = tag === 'A' ? node.getAttribute('href') || '' : '';
      let copy = null;
      if (tag === 'A' && SAFE_HREF.test(href)) copy = link(href);
      else if (BLOCKS.has(tag) || INLINES.has(tag)) copy = el(tag.toLowerCase(), node.className === 'block' ? 'vb-block' : null);
      else if (/^H[1-6]$/.test(tag)) copy = el('p', 'vb-heading');
      if (tag === 'OL' && node.hasAttribute('start')) copy.start = Number(node.getAttribute('start')) || 1;
      if (copy) {
        copyAllowed(node, copy);
        to.appendChild(copy);
      } else {
        copyAllowed(node, to); // anything else: keep its text only
      }
    }
  }

  function appendRendered(parent, html) {
    const doc = new DOMParser().parseFromString(html, 'text/html'); // inert: runs nothing
    copyAllowed(doc.body, parent);
  }

  function formatTime(iso) {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return '';
    return date.toLocaleTimeString('nl-NL', { hour: '2-digit', minute: '2-digit' });
  }

  function authorLabel(msg) {
    if (msg.author === 'system' || msg.author === 'bot') return 'Automatisch bericht';
    return state.municipality ? `Gemeente ${state.municipality}` : 'Gemeente';
  }

  function addMessage(msg) {
    if (!msg || typeof msg.id !== 'number' || state.seen.has(msg.id)) return;
    if (msg.direction !== 'in' && msg.direction !== 'out') return; // never show anything else
    state.seen.add(msg.id);
    state.lastId = Math.max(state.lastId, msg.id);

    const node = el('div', `vb-msg vb-${msg.direction}`);
    node.dataset.id = String(msg.id);
    if (msg.direction === 'out') node.classList.add(`vb-author-${msg.author}`);
    const text = el('div', 'vb-text');
    if (msg.direction === 'out' && typeof msg.html === 'string') {
      text.classList.add('vb-rich');
      appendRendered(text, msg.html);
    } else {
      text.textContent = String(msg.text ?? '');
    }
    const meta = el('div', 'vb-meta');
    if (msg.direction === 'out') meta.append(el('span', 'vb-author', authorLabel(msg)), ' \u00b7 ');
    const time = el('time', 'vb-time', formatTime(msg.created_at));
    if (msg.created_at) time.dateTime = msg.created_at;
    meta.appendChild(time);
    node.append(text, meta);

    // Keep id order: insert before the first message with a higher id.
    const later = [...messages.children].find((c) => Number(c.dataset.id) > msg.id);
    messages.insertBefore(node, later || null);
    scrollToEnd();
    if (panel.hidden && msg.direction === 'out') toggle.appendChild(unread);
  }

  function resetConversation() {
    closeStream();
    saveToken('');
    state.lastId = 0;
    state.seen.clear();
    messages.replaceChildren();
  }

  // ---- API ----
  async function api(path, options = {}) {
    const res = await fetch(`${base}/api/v1/chat/${path}`, {
      ...options,
      headers: { Accept: 'application/json', ...(options.body ? { 'Content-Type': 'application/json' } : {}) },
    });
    const data = await res.json().catch(() => ({}));
    return { status: res.status, ok: res.ok, data };
  }

  const errorText = (data) => (data && (data.melding || data.error)) || GENERIC_ERROR;

  async function loadInfo() {
    try {
      const { ok, data } = await api('info');
      if (!ok) { showError(errorText(data)); return; }
      state.municipality = data.municipality || '';
      if (state.municipality) {
        title.textContent = `Chat met gemeente ${state.municipality}`;
        panel.setAttribute('aria-label', title.textContent);
      }
      welcome.textContent = data.welcome || '';
      privacy.textContent = data.privacy || '';
      privacy.hidden = !data.privacy;
      hours.replaceChildren(...(data.office_hours || []).map((line) => el('li', null, line)));
      hoursBox.hidden = !(data.office_hours || []).length && data.open_now !== false;
      closedNote.hidden = data.open_now !== false;
      if (Number.isInteger(data.max_message_chars) && data.max_message_chars > 0) {
        state.maxChars = data.max_message_chars;
        input.maxLength = state.maxChars;
        updateCounter();
      }
    } catch {
      showError(NETWORK_ERROR);
    }
  }

  // Fetches messages after the last one shown. Returns false if the conversation is gone.
  async function loadMessages() {
    if (!state.token) return false;
    const query = `token=${encodeURIComponent(state.token)}&after=${state.lastId}`;
    const { ok, status, data } = await api(`messages?${query}`);
    if (status === 404) { resetConversation(); return false; }
    if (ok) (data.messages || []).forEach(addMessage);
    return true;
  }

  // ---- live updates (server-sent events) ----
  function closeStream() {
    clearTimeout(state.retryTimer);
    if (state.source) { state.source.close(); state.source = null; }
  }

  function openStream() {
    closeStream();
    if (!state.token || !window.EventSource) return;
    const query = `token=${encodeURIComponent(state.token)}&after=${state.lastId}`;
    const source = new EventSource(`${base}/api/v1/chat/events?${query}`);
    state.source = source;
    source.addEventListener('open', () => { state.retry = 0; });
    source.addEventListener('message', (e) => {
      try { addMessage(JSON.parse(e.data)); } catch { /* ignore a malformed event */ }
    });
    // Reconnect ourselves (with our own `after`), catching up over plain HTTP first.
    source.addEventListener('error', () => {
      closeStream();
      const delay = BACKOFF_MS[Math.min(state.retry, BACKOFF_MS.length - 1)];
      state.retry += 1;
      state.retryTimer = setTimeout(async () => {
        try {
          if (!(await loadMessages())) return; // conversation gone: stop
        } catch { /* offline: the stream retry below backs off again */ }
        openStream();
      }, delay);
    });
  }

  // ---- sending ----
  function updateCounter() {
    const left = state.maxChars - input.value.length; // same unit as maxlength
    const near = left <= Math.max(20, Math.floor(state.maxChars * 0.1));
    counter.hidden = !near;
    counter.textContent = near ? `Nog ${Math.max(left, 0)} tekens` : '';
    counter.classList.toggle('vb-counter-full', left <= 0);
  }
  input.addEventListener('input', updateCounter);

  function setBusy(busy) {
    state.busy = busy;
    send.disabled = busy;
    form.setAttribute('aria-busy', String(busy));
  }

  async function post(text) {
    const payload = state.token ? { text, token: state.token } : { text };
    return api('messages', { method: 'POST', body: JSON.stringify(payload) });
  }

  async function submit() {
    const text = input.value.trim();
    if (state.busy) return;
    if (!text) { showError('Typ eerst uw vraag.'); input.focus(); return; }
    setBusy(true);
    showError('');
    try {
      let res = await post(text);
      if (res.status === 404 && state.token) { // conversation no longer exists: start anew
        resetConversation();
        res = await post(text);
      }
      if (!res.ok) { showError(errorText(res.data)); return; }
      const isNew = res.data.token && res.data.token !== state.token;
      if (res.data.token) saveToken(res.data.token);
      input.value = '';
      updateCounter();
      addMessage(res.data.message);
      if (isNew || !state.source) openStream();
    } catch {
      showError(NETWORK_ERROR);
    } finally {
      setBusy(false);
      input.focus();
    }
  }

  form.addEventListener('submit', (e) => { e.preventDefault(); submit(); });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); submit(); }
  });

  // ---- start ----
  async function start() {
    await loadInfo();
    if (state.token) {
      try { await loadMessages(); } catch { showError(NETWORK_ERROR); }
      openStream();
    }
  }

  if (script.dataset.open === 'true') setOpen(true);
  start();
})();
