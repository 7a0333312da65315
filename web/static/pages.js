// Small enhancements of the server-rendered pages: the print button and the copy-link buttons.
// The pages work without this script.
(function () {
  'use strict';
  document.querySelectorAll('[data-print]').forEach(function (b) {
    b.addEventListener('click', function () { window.print(); });
  });

  var status = document.querySelector('.copy-status');
  function say(msg) { if (status) status.textContent = msg; }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    // Fallback for plain-http intranets, where the Clipboard API is unavailable.
    return new Promise(function (resolve, reject) {
      var t = document.createElement('textarea');
      t.value = text; t.setAttribute('readonly', ''); t.style.position = 'fixed'; t.style.opacity = '0';
      document.body.appendChild(t); t.select();
      var ok = false;
      try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
      document.body.removeChild(t);
      ok ? resolve() : reject(new Error('copy failed'));
    });
  }

  document.querySelectorAll('button[data-copy]').forEach(function (b) {
    b.hidden = false;
    var label = b.textContent;
    b.addEventListener('click', function () {
      var url = location.origin + location.pathname + location.search + '#' + b.getAttribute('data-copy');
      copyText(url).then(function () {
        b.textContent = 'Đã sao chép ✓'; say('Đã sao chép liên kết ' + url);
      }, function () {
        b.textContent = 'Không sao chép được'; say('Không sao chép được, hãy sao chép từ thanh địa chỉ.');
        location.hash = b.getAttribute('data-copy');
      });
      setTimeout(function () { b.textContent = label; }, 2500);
    });
  });
})();
