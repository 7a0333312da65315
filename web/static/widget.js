/*! thutuc widget: hỏi đáp thủ tục hành chính, kèm nguồn. One tag embeds it:
 * <script src="https://HOST/widget.js" data-locality="ha-noi" defer></script>
 * Options: data-locality, data-audience (citizen|coach|officer), data-api (API base URL, default
 * the origin of this script). Plain JS; styles isolated in a Shadow DOM. The only HTML inserted
 * is the server's sanitised answer_html; everything else, user text above all, is text. */
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || window.__thutucWidget) return; // loaded twice: keep the first
  window.__thutucWidget = true;

  var ds = script.dataset;
  var API = (ds.api || new URL(script.src, location.href).origin).replace(/\/+$/, '');
  var LOCALITY = ds.locality || '';
  var AUDIENCE = ds.audience || '';
  var STORE = 'thutuc:' + API;
  var MAX_KEPT = 40; // messages kept across reloads
  var STARTERS = [
    'Làm hộ chiếu hết bao nhiêu tiền?',
    'Đăng ký thường trú cần giấy tờ gì?',
    'Mất căn cước làm lại ở đâu?',
    'Đổi bằng lái xe mất bao lâu?'
  ];
  var SECTIONS = {
    overview: 'Giới thiệu', documents: 'Thành phần hồ sơ', fees: 'Phí, lệ phí', deadline: 'Thời hạn giải quyết',
    steps: 'Trình tự thực hiện', channels: 'Cách thức thực hiện', agency: 'Cơ quan thực hiện',
    applicants: 'Đối tượng thực hiện', conditions: 'Yêu cầu, điều kiện', result: 'Kết quả thực hiện',
    legal_basis: 'Căn cứ pháp lý', forms: 'Mẫu đơn, tờ khai'
  };
  var THANKS = 'Cảm ơn bạn đã góp ý!';
  // Where to reach a person, after every answer: the embedding portal sets its own desk and
  // hotline with data-help; the default points to the one-stop desk and the national portal.
  var HELP = ds.help || 'Cần người hỗ trợ? Hãy đến bộ phận một cửa nơi nộp hồ sơ, hoặc gọi tổng đài Cổng Dịch vụ công quốc gia 18001096.';
  var REASONS = [['sai-thu-tuc', 'Sai thủ tục'], ['thieu-thong-tin', 'Thiếu thông tin'], ['kho-hieu', 'Khó hiểu'],
    ['qua-dai', 'Quá dài'], ['thong-tin-cu', 'Thông tin cũ']];
  var MSG = {
    offline: 'Mất kết nối mạng… Hãy kiểm tra kết nối rồi bấm “Thử lại”.',
    broken: 'Kết nối bị gián đoạn khi đang trả lời. Bấm “Thử lại” để hỏi lại.',
    busy: 'Dịch vụ tạm thời gián đoạn (hệ thống đang bận hoặc bảo trì). Vui lòng bấm “Thử lại” sau ít phút.',
    rate: 'Bạn hỏi hơi nhanh, vui lòng đợi {n} giây rồi thử lại.',
    server: 'Có lỗi xảy ra ở máy chủ. Vui lòng thử lại sau.',
    slow: 'Hệ thống phản hồi quá lâu. Vui lòng thử lại.'
  };
  var ICONS = {
    chat: 'M20 2H4a2 2 0 0 0-2 2v18l4-4h14a2 2 0 0 0 2-2V4a2 2 0 0 0-2-2z',
    close: 'M19 6.41 17.59 5 12 10.59 6.41 5 5 6.41 10.59 12 5 17.59 6.41 19 12 13.41 17.59 19 19 17.59 13.41 12z',
    send: 'M2.01 21 23 12 2.01 3 2 10l15 2-15 2z',
    reset: 'M17.65 6.35A7.96 7.96 0 0 0 12 4a8 8 0 1 0 7.73 10h-2.08A6 6 0 1 1 12 6c1.66 0 3.14.69 4.22 1.78L13 11h7V4z',
    up: 'M1 21h4V9H1zm22-11a2 2 0 0 0-2-2h-6.31l.95-4.57.03-.32c0-.41-.17-.79-.44-1.06L14.17 1 7.59 7.59C7.22 7.95 7 8.45 7 9v10a2 2 0 0 0 2 2h9c.83 0 1.54-.5 1.84-1.22l3.02-7.05c.09-.23.14-.47.14-.73z'
  };

  var CSS = `
:host{all:initial;position:fixed;z-index:2147483000;right:0;bottom:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;color:#1b1b1b}
*{box-sizing:border-box}
button{font:inherit;cursor:pointer}
:focus-visible{outline:3px solid #ffbf47;outline-offset:2px;box-shadow:0 0 0 5px #1b1b1b}
svg{width:20px;height:20px;fill:currentColor;flex:none}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.bubble{position:fixed;right:20px;bottom:20px;display:flex;align-items:center;gap:8px;min-height:56px;padding:0 20px;border:0;border-radius:28px;background:#a4161a;color:#fff;font-weight:600;box-shadow:0 4px 14px rgba(0,0,0,.3)}
.bubble:hover{background:#7d1013}
.bubble svg{width:24px;height:24px}
.panel{position:fixed;right:20px;bottom:88px;width:390px;height:min(640px,calc(100vh - 110px));display:flex;flex-direction:column;background:#fff;border-radius:14px;box-shadow:0 8px 30px rgba(0,0,0,.3);overflow:hidden}
.panel[hidden]{display:none}
.panel:focus{outline:0}
header{display:flex;align-items:center;gap:6px;padding:10px 8px 10px 16px;background:#a4161a;color:#fff}
header .t{flex:1;min-width:0}
header h2{margin:0;font-size:16px;line-height:1.3}
header p{margin:0;font-size:13px;opacity:.95}
.ib{display:grid;place-items:center;width:44px;height:44px;border:0;border-radius:8px;background:transparent;color:inherit}
.ib:hover{background:rgba(255,255,255,.18)}
.log{flex:1;overflow-y:auto;padding:14px 12px;background:#f5f5f2;overscroll-behavior:contain}
.intro{margin:0 0 10px;color:#3d3d3d;font-size:15px}
.chips{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0}
.chip{min-height:40px;padding:8px 12px;border:1px solid #a4161a;border-radius:20px;background:#fff;color:#8a1216;font-size:14px;text-align:left;line-height:1.3}
.chip:hover{background:#fbeaea}
.msg{margin:0 0 12px;overflow-wrap:anywhere}
.user{max-width:85%;margin-left:auto;padding:8px 12px;border-radius:14px 14px 4px 14px;background:#a4161a;color:#fff;white-space:pre-wrap;width:fit-content}
.bot{padding:10px 12px;border-radius:14px 14px 14px 4px;background:#fff;border:1px solid #ddd}
.ans{font-size:15px}
.ans>:first-child{margin-top:0}.ans>:last-child{margin-bottom:0}
.ans p{margin:0 0 8px}.ans ul,.ans ol{margin:4px 0 8px;padding-left:20px}.ans li{margin:2px 0}
.ans a,.cites a,.acts a{color:#0b57d0}
.ans sup,.ans .cite{font-size:12px}
.typing{display:inline-flex;gap:4px;padding:4px 0}
.typing i{width:7px;height:7px;border-radius:50%;background:#767676;animation:blink 1s infinite}
.typing i:nth-child(2){animation-delay:.2s}.typing i:nth-child(3){animation-delay:.4s}
@keyframes blink{50%{opacity:.25}}
.cites{margin:10px 0 0;padding:8px 0 0 22px;border-top:1px solid #e3e3e3;font-size:13px;color:#3d3d3d}
.cites li{margin:0 0 4px}
.cites li button.q{border:0;background:none;padding:0 0 0 4px;color:#0b57d0;font-size:13px;text-decoration:underline}
.cites blockquote{margin:4px 0 6px;padding:6px 8px;border-left:3px solid #a4161a;background:#f7f7f4;color:#1b1b1b;white-space:pre-wrap}
.more{margin:6px 0 0}.more summary{display:inline-flex;align-items:center;min-height:40px;padding:4px 12px;border:1px solid #a4161a;border-radius:20px;color:#8a1216;cursor:pointer;list-style:none}
.more summary::-webkit-details-marker{display:none}.more[open] summary{margin-bottom:8px}
.cases .ask{flex-basis:100%;font-size:14px}.cases .chip[aria-pressed=true]{background:#a4161a;color:#fff}.case:empty{display:none}.case{margin-top:6px;padding-top:6px;border-top:1px dashed #ddd}
.why{display:flex;flex-wrap:wrap;gap:6px;margin-top:6px}.why .chip[aria-pressed=true]{background:#a4161a;color:#fff}.why textarea{flex-basis:100%;min-height:60px;font-size:15px}
.help{margin-top:8px;font-size:13px;color:#3d3d3d}
.pending .ans{white-space:pre-wrap}
.cites h3{margin:0 0 4px -22px;font-size:13px}
.acts{display:flex;flex-wrap:wrap;align-items:center;gap:8px;margin-top:10px;font-size:14px}
.btn{display:inline-flex;align-items:center;gap:6px;min-height:40px;padding:6px 12px;border:1px solid #767676;border-radius:8px;background:#fff;color:#1b1b1b;font-size:14px;text-decoration:none}
.btn:hover{background:#f0f0f0}
.fb{display:flex;align-items:center;gap:6px;margin-top:8px;font-size:13px;color:#4f4f4f}
.fb .btn{min-height:36px;padding:4px 10px}
.fb .btn[aria-pressed=true]{background:#1b1b1b;color:#fff}
.err{margin:0 0 12px;padding:10px 12px;border:1px solid #d93025;border-radius:10px;background:#fdecea;color:#7a1712;font-size:14px}
.err .btn{margin-top:8px}
form{display:flex;gap:8px;align-items:flex-end;padding:10px 12px;border-top:1px solid #ddd;background:#fff}
textarea{flex:1;min-height:44px;max-height:130px;padding:10px 12px;border:1px solid #767676;border-radius:10px;font:inherit;font-size:16px;resize:none;color:#1b1b1b;background:#fff}
.send{display:grid;place-items:center;width:44px;height:44px;border:0;border-radius:10px;background:#a4161a;color:#fff}
.send:disabled{background:#8c8c8c;cursor:not-allowed}
.note{margin:0;padding:0 12px 8px;background:#fff;font-size:12px;color:#4f4f4f}
@media (max-width:480px){.panel{inset:0;right:0;bottom:0;width:100%;height:100%;height:100dvh;border-radius:0}.bubble{right:12px;bottom:12px}:host(.open) .bubble{display:none}}
@media (prefers-reduced-motion:reduce){*{animation:none!important;transition:none!important}}
@media print{:host{display:none}}`;

  // --- state kept in sessionStorage: conversation id and secret, transcript, panel open ---
  var state = load();
  function load() {
    try {
      var s = JSON.parse(sessionStorage.getItem(STORE) || 'null');
      if (s && Array.isArray(s.msgs)) return s;
    } catch (e) { /* storage disabled or corrupt: start afresh */ }
    return { cid: '', secret: '', msgs: [], open: false };
  }
  function save() {
    state.msgs = state.msgs.slice(-MAX_KEPT);
    try { sessionStorage.setItem(STORE, JSON.stringify(state)); } catch (e) { /* quota or disabled */ }
  }

  // --- DOM helpers: text only, never HTML ---
  function h(tag, attrs, kids) {
    var el = document.createElement(tag);
    for (var k in attrs || {}) {
      var v = attrs[k];
      if (v == null || v === false) continue;
      if (k === 'text') el.textContent = v;
      else if (k.slice(0, 2) === 'on') el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? '' : v);
    }
    (kids || []).forEach(function (c) { if (c) el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return el;
  }
  function icon(name) {
    var ns = 'http://www.w3.org/2000/svg';
    var svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    var p = document.createElementNS(ns, 'path');
    p.setAttribute('d', ICONS[name]);
    svg.appendChild(p);
    return svg;
  }
  function viDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || '');
    return m ? m[3] + '/' + m[2] + '/' + m[1] : '';
  }

  // --- UI ---
  var host, root, bubble, panel, log, input, sendBtn, live, errBox;
  var busy = false, lastText = '', cooldown = 0, timer = 0;
  // The panel covers the whole screen up to the width of the CSS's phone layout: it is then a
  // modal dialog, which keeps the focus (trapTab); beside a page it is not, and Tab may leave it.
  var PHONE = matchMedia('(max-width:480px)');

  function build() {
    host = h('div', { id: 'thutuc-widget' });
    root = host.attachShadow({ mode: 'open' });
    // A constructed stylesheet passes a portal's strict CSP (no 'unsafe-inline' styles).
    if (root.adoptedStyleSheets && CSSStyleSheet.prototype.replaceSync) {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    } else root.appendChild(h('style', { text: CSS }));
    bubble = h('button', { class: 'bubble', type: 'button', 'aria-expanded': 'false', 'aria-controls': 'tt-panel',
      'aria-label': 'Mở trợ lý hỏi đáp thủ tục hành chính', onclick: toggle }, [icon('chat'), h('span', { text: 'Hỏi đáp' })]);
    log = h('div', { class: 'log', id: 'tt-log' });
    input = h('textarea', { id: 'tt-input', rows: '1', maxlength: '1000', placeholder: 'Nhập câu hỏi về thủ tục…',
      'aria-label': 'Câu hỏi của bạn', enterkeyhint: 'send', onkeydown: onKey, oninput: grow });
    sendBtn = h('button', { class: 'send', type: 'submit', 'aria-label': 'Gửi câu hỏi' }, [icon('send')]);
    live = h('div', { class: 'sr', 'aria-live': 'polite', role: 'status' });
    // tabindex -1: the panel can hold the focus when a re-render removes the focused control (keepFocus).
    panel = h('div', { class: 'panel', id: 'tt-panel', role: 'dialog', 'aria-label': 'Trợ lý hỏi đáp thủ tục hành chính', tabindex: '-1', hidden: true, onkeydown: onPanelKey }, [
      h('header', {}, [
        h('div', { class: 't' }, [h('h2', { text: 'Trợ lý thủ tục hành chính' }), h('p', { text: 'Trả lời kèm nguồn chính thức' })]),
        h('button', { class: 'ib', type: 'button', title: 'Cuộc trò chuyện mới', 'aria-label': 'Bắt đầu cuộc trò chuyện mới', onclick: reset }, [icon('reset')]),
        h('button', { class: 'ib', type: 'button', title: 'Đóng', 'aria-label': 'Đóng trợ lý', onclick: close }, [icon('close')])
      ]),
      log,
      h('form', { onsubmit: function (e) { e.preventDefault(); send(input.value); } }, [input, sendBtn]),
      h('p', { class: 'note', text: 'Thông tin để tham khảo — luôn kiểm tra lại tại nguồn được dẫn.' }),
      live
    ]);
    root.appendChild(bubble);
    root.appendChild(panel);
    document.body.appendChild(host);
    setModal();
    PHONE.addEventListener('change', setModal); // a phone turned, a window resized
    renderAll();
    if (state.open) open(false);
  }

  function toggle() { panel.hidden ? open(true) : close(); }
  function open(focus) {
    panel.hidden = false;
    host.classList.add('open');
    bubble.setAttribute('aria-expanded', 'true');
    state.open = true; save();
    log.scrollTop = log.scrollHeight;
    if (focus !== false) input.focus();
  }
  function close() {
    panel.hidden = true;
    host.classList.remove('open');
    bubble.setAttribute('aria-expanded', 'false');
    state.open = false; save();
    bubble.focus();
  }
  function setModal() { panel.setAttribute('aria-modal', PHONE.matches); }
  function onPanelKey(e) {
    if (e.key === 'Escape') { e.preventDefault(); close(); }
    else if (e.key === 'Tab' && PHONE.matches) trapTab(e);
  }
  // trapTab wraps Tab from the panel's last control to its first, and Shift+Tab back. The ends
  // never change: the header's first button, and the send button (the question box while sending
  // is paused); every other control lies between them, so only the ends need handling.
  function trapTab(e) {
    var first = panel.querySelector('.ib'), last = sendBtn.disabled ? input : sendBtn, at = root.activeElement;
    var to = e.shiftKey ? (at === first || at === panel) && last : at === last && first;
    if (to) { e.preventDefault(); to.focus(); }
  }
  function onKey(e) {
    // Enter sends; Shift+Enter is a new line; never while an IME (Telex, VNI) is composing.
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); send(input.value); }
  }
  function grow() { input.style.height = 'auto'; input.style.height = Math.min(input.scrollHeight, 130) + 'px'; }
  function reset() {
    if (busy) return; // the pending answer belongs to this conversation
    state = { cid: '', secret: '', msgs: [], open: true }; save();
    clearError(); renderAll(); input.focus();
  }

  function renderAll() {
    log.textContent = '';
    if (!state.msgs.length) {
      log.appendChild(h('p', { class: 'intro', text: 'Xin chào! Bạn cần hỏi về thủ tục nào? Ví dụ:' }));
      log.appendChild(h('div', { class: 'chips', role: 'group', 'aria-label': 'Câu hỏi gợi ý' }, STARTERS.map(function (q) {
        return h('button', { class: 'chip', type: 'button', text: q, onclick: function () { send(q); } });
      })));
    }
    state.msgs.forEach(function (m) { log.appendChild(m.r === 'u' ? userView(m.t) : botView(m)); });
    log.scrollTop = log.scrollHeight;
  }

  // showStart scrolls so that the last question and the start of its answer are in view: a
  // long answer is read from the top.
  function showStart() {
    var q = log.querySelectorAll('.msg.user');
    q = q[q.length - 1];
    if (q) log.scrollTop = q.getBoundingClientRect().top - log.getBoundingClientRect().top + log.scrollTop - 8;
  }

  function userView(text) { return h('div', { class: 'msg user', text: text }); }

  function botView(m) {
    var d = m.d || {};
    var ans = h('div', { class: 'ans' });
    ans.innerHTML = d.answer_html || ''; // server-sanitised HTML: the only HTML the widget inserts
    if (!d.answer_html && d.answer) ans.textContent = d.answer;
    var el = h('div', { class: 'msg bot', 'data-status': d.status || '' }, [ans]);
    // The rest of a citizen's answer is folded behind a button ("Xem đủ 29 giấy tờ").
    if (d.detail_html) {
      var more = h('div', { class: 'ans' });
      more.innerHTML = d.detail_html; // server-sanitised HTML
      el.appendChild(h('details', { class: 'more' }, [h('summary', { text: d.detail_label || 'Xem đầy đủ' }), more]));
    }
    // Documents that differ by case: chips ask which case is the household's and show its
    // documents alone.
    if (d.cases && d.cases.length > 1) {
      var shown = h('div', { class: 'ans case' });
      var caseChips = d.cases.map(function (c) {
        return h('button', { class: 'chip', type: 'button', 'aria-pressed': 'false', text: c.label, onclick: function (e) {
          caseChips.forEach(function (b) { b.setAttribute('aria-pressed', String(b === e.currentTarget)); });
          shown.innerHTML = c.detail_html || ''; // server-sanitised HTML
          say(plainText(c.detail));
        } });
      });
      el.appendChild(h('div', { class: 'chips cases', role: 'group', 'aria-label': 'Trường hợp của anh/chị' },
        [h('span', { class: 'ask', text: 'Trường hợp của anh/chị là gì?' })].concat(caseChips)));
      el.appendChild(shown);
    }
    // Source links open beside the portal; a [n] marker opens its citation's quote.
    el.querySelectorAll('.ans a[href^="http"]').forEach(function (a) { a.target = '_blank'; a.rel = 'noopener noreferrer'; });
    el.addEventListener('click', function (e) {
      var a = e.target.closest && e.target.closest('a[href^="#cite-"]');
      var li = a && el.querySelector('.cites li[data-n="' + a.getAttribute('href').slice(6) + '"]');
      if (!li) return;
      e.preventDefault();
      showQuote(li, true);
      li.scrollIntoView({ block: 'nearest' });
      li.focus();
    });
    if (d.candidates && d.candidates.length) {
      el.appendChild(h('div', { class: 'chips cands', role: 'group', 'aria-label': 'Chọn thủ tục bạn muốn hỏi' },
        d.candidates.map(function (c, i) {
          var label = c.label || c.title;
          return h('button', { class: 'chip', type: 'button', text: (i + 1) + '. ' + label, title: c.title, onclick: function () { send(label); } });
        })));
    }
    if (d.citations && d.citations.length) el.appendChild(citesView(d.citations));
    if (d.procedure && d.procedure.id) el.appendChild(procedureView(d.procedure));
    if (d.message_id && (d.status === 'answered' || d.status === 'no_answer')) el.appendChild(feedbackView(m));
    if (d.status === 'answered' || d.status === 'no_answer') el.appendChild(h('p', { class: 'help', text: HELP }));
    return el;
  }

  function citesView(cites) {
    return h('ol', { class: 'cites', 'aria-label': 'Nguồn' }, cites.map(function (c) {
      var where = c.article ? 'Điều ' + c.article : (SECTIONS[c.section] || c.section || '');
      var meta = [where, c.as_of ? 'cập nhật ' + viDate(c.as_of) : ''].filter(Boolean).join(' · ');
      var link = /^https?:\/\//i.test(c.source_url || '')
        ? h('a', { href: c.source_url, target: '_blank', rel: 'noopener noreferrer', text: c.title || c.code || c.source_url })
        : h('span', { text: c.title || '' });
      var li = h('li', { value: c.n || null, 'data-n': c.n || null, tabindex: '-1' }, [link, meta ? ' — ' + meta : '']);
      if (c.quote) {
        li.quote = c.quote;
        li.appendChild(h('button', { class: 'q', type: 'button', 'aria-expanded': 'false', text: 'Xem trích dẫn',
          onclick: function () { showQuote(li); } }));
      }
      return li;
    }));
  }

  // showQuote opens (or, tapped again, closes) the exact source text a citation rests on.
  function showQuote(li, open) {
    var q = li.querySelector('blockquote'), btn = li.querySelector('button.q');
    if (!li.quote || !btn) return;
    if (q && open) return;
    if (q) { q.remove(); btn.setAttribute('aria-expanded', 'false'); btn.textContent = 'Xem trích dẫn'; return; }
    li.appendChild(h('blockquote', { text: plainText(li.quote) }));
    btn.setAttribute('aria-expanded', 'true'); btn.textContent = 'Ẩn trích dẫn';
  }

  // plainText drops Markdown marks (**, _, list markers, headings) for reading and listening.
  function plainText(md) {
    return String(md || '').replace(/\*\*|__|\[(\d+)\]/g, '').replace(/(^|\s)_([^_]+)_/g, '$1$2')
      .replace(/^\s*(#{1,6}|[-*+]|\d+[.)])\s+/gm, '').replace(/[ \t]+\n/g, '\n').trim();
  }

  function procedureView(p) {
    var url = API + '/checklist/' + encodeURIComponent(p.id);
    var share = h('button', { class: 'btn', type: 'button', text: 'Chia sẻ', onclick: function () {
      if (navigator.share) {
        navigator.share({ title: p.title, text: 'Danh sách giấy tờ: ' + p.title, url: url }).catch(function () {});
        return;
      }
      copy(url).then(function () { share.textContent = 'Đã sao chép liên kết'; }, function () { share.textContent = 'Không sao chép được'; });
    } });
    return h('div', { class: 'acts' }, [
      h('a', { class: 'btn checklist', href: url, target: '_blank', rel: 'noopener', text: 'In / chia sẻ danh sách giấy tờ' }),
      share
    ]);
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return Promise.reject(new Error('no clipboard'));
  }

  function feedbackView(m) {
    var box = h('div', { class: 'fb' });
    if (m.fb != null) {
      box.appendChild(h('span', { class: 'thanks', text: THANKS }));
      return box;
    }
    var label = h('span', { text: 'Câu trả lời có hữu ích không?' });
    var up = h('button', { class: 'btn', type: 'button', 'aria-label': 'Hữu ích', title: 'Hữu ích', 'aria-pressed': 'false', 'data-helpful': 'true' }, [icon('up')]);
    var down = h('button', { class: 'btn', type: 'button', 'aria-label': 'Chưa hữu ích', title: 'Chưa hữu ích', 'aria-pressed': 'false', 'data-helpful': 'false' }, [icon('up')]);
    down.firstChild.style.transform = 'rotate(180deg)'; // 👎 is 👍 turned over
    function post(body) {
      body.conversation_id = m.d.conversation_id || state.cid;
      body.message_id = m.d.message_id;
      return fetch(API + '/v1/feedback', {
        method: 'POST', credentials: 'omit', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body)
      }).then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); });
    }
    function thanks() {
      box.textContent = '';
      box.appendChild(h('span', { class: 'thanks', text: THANKS }));
      say(THANKS);
    }
    // After 👎: why (chips) and, if they like, a comment; sent as the same judgement again.
    function askWhy() {
      box.textContent = '';
      var picked = '', note = h('textarea', { 'aria-label': 'Góp ý thêm (không bắt buộc)', placeholder: 'Góp ý thêm (không bắt buộc, đừng ghi số giấy tờ, số điện thoại)', maxlength: '2000' });
      var chips = REASONS.map(function (r) {
        return h('button', { class: 'chip', type: 'button', 'aria-pressed': 'false', text: r[1], 'data-reason': r[0], onclick: function (e) {
          picked = picked === r[0] ? '' : r[0];
          chips.forEach(function (c) { c.setAttribute('aria-pressed', String(c.dataset.reason === picked)); });
        } });
      });
      var sendWhy = h('button', { class: 'btn', type: 'button', text: 'Gửi góp ý', onclick: function () {
        sendWhy.disabled = true;
        post({ helpful: false, reason: picked, comment: note.value }).then(thanks, function () {
          sendWhy.disabled = false; sendWhy.textContent = 'Chưa gửi được, thử lại';
        });
      } });
      box.appendChild(h('div', { class: 'why', role: 'group', 'aria-label': 'Vì sao chưa hữu ích?' },
        [h('span', { text: 'Vì sao chưa hữu ích?' })].concat(chips, [note, sendWhy])));
    }
    function vote(helpful, btn) {
      up.disabled = down.disabled = true;
      btn.setAttribute('aria-pressed', 'true');
      post({ helpful: helpful }).then(function () {
        m.fb = helpful; save();
        if (helpful) thanks(); else askWhy();
      }).catch(function () {
        up.disabled = down.disabled = false;
        btn.setAttribute('aria-pressed', 'false');
        label.textContent = 'Chưa gửi được góp ý, thử lại?';
      });
    }
    up.addEventListener('click', function () { vote(true, up); });
    down.addEventListener('click', function () { vote(false, down); });
    [label, up, down].forEach(function (c) { box.appendChild(c); });
    return box;
  }

  // keepFocus: a re-render removes the chip or button that had focus; keep keyboard users in the
  // panel. On a touch screen the panel itself takes it: focusing the question box would pop up
  // the keyboard over the answer, and a focus left on the page would let Tab out of the dialog.
  function keepFocus() { if (!root.activeElement) (matchMedia('(pointer: coarse)').matches ? panel : input).focus(); }
  function say(text) { live.textContent = ''; setTimeout(function () { live.textContent = text; }, 50); }

  // --- errors ---
  function clearError() { if (errBox) { errBox.remove(); errBox = null; } }
  function showError(f) {
    clearError();
    var text = f.kind === 'rate' ? MSG.rate.replace('{n}', f.wait) : (f.message || MSG[f.kind] || MSG.server);
    var retry = h('button', { class: 'btn retry', type: 'button', text: 'Thử lại', onclick: function () { send(lastText, true); } });
    errBox = h('div', { class: 'err', role: 'alert', 'data-kind': f.kind }, [h('div', { class: 'etext', text: text }), f.kind === 'http' ? null : retry]);
    log.appendChild(errBox);
    log.scrollTop = log.scrollHeight;
    if (f.wait > 0) startCooldown(f.wait, retry, f.kind === 'rate' && errBox.querySelector('.etext'));
  }
  // startCooldown honours Retry-After (429, 503): sending waits until it has passed. A rate
  // limit counts the seconds down in textEl.
  function startCooldown(secs, retry, textEl) {
    clearInterval(timer);
    cooldown = Date.now() + secs * 1000;
    retry.disabled = sendBtn.disabled = true;
    timer = setInterval(function () {
      var left = Math.ceil((cooldown - Date.now()) / 1000);
      if (left > 0) { if (textEl) textEl.textContent = MSG.rate.replace('{n}', left); return; }
      clearInterval(timer);
      cooldown = 0;
      retry.disabled = sendBtn.disabled = false;
      if (textEl) textEl.textContent = 'Bạn có thể hỏi tiếp.';
    }, 1000);
  }
  // unsend takes back a question the server refused (4xx): sent again unchanged it would be
  // refused again, so it goes back to the question box to be corrected, unless the user has
  // typed something new there meanwhile.
  function unsend(text) {
    var last = state.msgs[state.msgs.length - 1];
    if (last && last.r === 'u' && last.t === text) { state.msgs.pop(); save(); renderAll(); }
    if (!input.value) { input.value = text; grow(); }
  }

  async function httpError(resp) {
    var wait = parseInt(resp.headers.get('Retry-After') || '', 10);
    var body = null;
    try { body = await resp.json(); } catch (e) { /* not JSON */ }
    var message = body && body.error && body.error.message;
    if (resp.status === 429) return { kind: 'rate', wait: wait > 0 ? wait : 10 };
    if (resp.status === 503) return { kind: 'busy', wait: wait };
    if (resp.status >= 400 && resp.status < 500 && message) return { kind: 'http', message: message };
    return { kind: 'server' };
  }

  // --- sending and streaming ---
  async function send(text, isRetry) {
    text = (text || '').trim();
    if (!text || busy || cooldown) return;
    if (panel.hidden) open(true);
    clearError();
    if (!isRetry) {
      state.msgs.push({ r: 'u', t: text }); save();
      input.value = ''; grow();
      renderAll();
      keepFocus();
    }
    lastText = text;
    if (!navigator.onLine) { showError({ kind: 'offline' }); return; }
    busy = true; sendBtn.disabled = true;
    var pending = h('div', { class: 'msg bot pending', 'aria-busy': 'true' }, [h('div', { class: 'ans' }, [h('span', { class: 'typing', 'aria-label': 'Đang trả lời' }, [h('i'), h('i'), h('i')])])]);
    log.appendChild(pending);
    log.scrollTop = log.scrollHeight;
    var result = await ask(text, pending);
    busy = false; sendBtn.disabled = !!cooldown;
    pending.remove();
    if (result.done) {
      var d = result.done;
      if (d.conversation_id) state.cid = d.conversation_id;
      if (d.conversation_secret) state.secret = d.conversation_secret;
      state.msgs.push({ r: 'b', d: d }); save();
      renderAll();
      showStart();
      keepFocus();
      say(plainText(d.answer) || 'Đã có câu trả lời.'); // once, as plain text
    } else {
      if (result.fail.kind === 'http') unsend(text);
      showError(result.fail);
      keepFocus();
    }
  }

  // ask posts one message and streams the answer into the pending view. It resolves to
  // {done: response} or {fail: {kind, message, wait}}.
  async function ask(text, pending) {
    var body = { message: text };
    if (state.cid) { body.conversation_id = state.cid; body.conversation_secret = state.secret || ''; }
    if (LOCALITY) body.locality = LOCALITY;
    if (AUDIENCE) body.audience = AUDIENCE;
    var ans = pending.querySelector('.ans');
    var streamed = '', done = null, fail = null;
    // A stalled server must not leave the widget busy for ever.
    var ctrl = new AbortController(), timeout = setTimeout(function () { ctrl.abort(); }, 90000);
    try {
      var resp = await fetch(API + '/v1/chat', {
        method: 'POST', credentials: 'omit', signal: ctrl.signal,
        headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
        body: JSON.stringify(body)
      });
      if (!resp.ok) return { fail: await httpError(resp) };
      if (!/text\/event-stream/.test(resp.headers.get('Content-Type') || '') || !resp.body) {
        return { done: await resp.json() };
      }
      await readEvents(resp.body, function (name, data) {
        if (name === 'meta' && data && data.conversation_id) {
          state.cid = data.conversation_id;
          if (data.conversation_secret) state.secret = data.conversation_secret;
        }
        else if (name === 'delta') {
          streamed += typeof data === 'string' ? data : (data && data.text) || '';
          ans.textContent = streamed; // streamed text is shown as text; done brings the HTML
          log.scrollTop = log.scrollHeight;
        } else if (name === 'citations') {
          var list = Array.isArray(data) ? data : (data && data.citations) || [];
          var old = pending.querySelector('.cites');
          if (old) old.remove();
          if (list.length) pending.appendChild(citesView(list));
        } else if (name === 'done') done = data;
        else if (name === 'error') fail = { kind: data && data.code === 'invalid' ? 'http' : 'server', message: data && data.message };
      });
    } catch (e) {
      if (e.name === 'AbortError') return { fail: { kind: 'slow' } };
      if (e instanceof SyntaxError) return { fail: { kind: 'server' } };
      return { fail: { kind: navigator.onLine && streamed ? 'broken' : 'offline' } };
    } finally {
      clearTimeout(timeout);
    }
    if (done) return { done: done };
    return { fail: fail || { kind: 'broken' } };
  }

  // readEvents parses a text/event-stream body (event:/data: lines, blank-line separated).
  async function readEvents(stream, on) {
    var reader = stream.getReader();
    var dec = new TextDecoder();
    var buf = '';
    for (;;) {
      var chunk = await reader.read();
      if (chunk.done) break;
      buf += dec.decode(chunk.value, { stream: true }).replace(/\r\n?/g, '\n');
      var i;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        dispatch(buf.slice(0, i), on);
        buf = buf.slice(i + 2);
      }
    }
    if (buf.trim()) dispatch(buf, on);
  }
  function dispatch(block, on) {
    var name = 'message', data = [];
    block.split('\n').forEach(function (line) {
      if (!line || line[0] === ':') return;
      var c = line.indexOf(':');
      var field = c < 0 ? line : line.slice(0, c);
      var value = c < 0 ? '' : line.slice(c + 1).replace(/^ /, '');
      if (field === 'event') name = value;
      else if (field === 'data') data.push(value);
    });
    if (!data.length) return;
    var raw = data.join('\n'), parsed;
    try { parsed = JSON.parse(raw); } catch (e) { parsed = raw; }
    on(name, parsed);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', build);
  else build();
})();
