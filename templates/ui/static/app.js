// Small progressive enhancements; every page works without JavaScript.
(function () {
  'use strict';
  // GB 11643 check digit for 居民身份证.
  function residentIdOk(id) {
    if (!/^\d{17}[\dXx]$/.test(id)) return false;
    var w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], c = '10X98765432', s = 0;
    for (var i = 0; i < 17; i++) s += (+id[i]) * w[i];
    return c[s % 11] === id[17].toUpperCase();
  }
  // GB 32100 check character for 统一社会信用代码.
  function creditOk(code) {
    var cs = '0123456789ABCDEFGHJKLMNPQRTUWXY', w = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    code = code.toUpperCase();
    if (code.length !== 18) return false;
    var s = 0;
    for (var i = 0; i < 17; i++) { var p = cs.indexOf(code[i]); if (p < 0) return false; s += p * w[i]; }
    return cs[(31 - s % 31) % 31] === code[17];
  }
  function check(input, hint, ok, what) {
    if (!input || !hint) return;
    function run() {
      var v = input.value.trim();
      if (!v) { hint.textContent = ''; hint.className = 'hint'; input.classList.remove('bad'); return; }
      var good = ok(v);
      hint.textContent = good ? '✓ 校验通过' : '✗ ' + what + '校验位不正确，请核对';
      hint.className = 'hint ' + (good ? 'good' : 'bad');
      input.classList.toggle('bad', !good);
    }
    input.addEventListener('input', run);
    run();
  }
  var form = document.getElementById('register');
  if (form) {
    var type = document.getElementById('type');
    var idType = form.querySelector('select[name=id_type]');
    var sync = function () { form.classList.toggle('is-org', type.value !== 'natural_person'); };
    form.classList.add('js');
    type.addEventListener('change', sync);
    sync();
    check(document.getElementById('id_number'), document.getElementById('id_hint'), function (v) {
      return idType.value !== 'resident_id' || residentIdOk(v);
    }, '身份证号码');
    check(document.getElementById('credit_code'), document.getElementById('credit_hint'), creditOk, '统一社会信用代码');
    var channel = document.getElementById('channel');
    var showHelp = function () {
      document.querySelectorAll('#receipt-help [data-channel]').forEach(function (el) {
        el.classList.toggle('current', el.getAttribute('data-channel').split(' ').indexOf(channel.value) >= 0);
      });
    };
    channel.addEventListener('change', showHelp);
    showHelp();
    // After the server answers: the error summary (or the duplicate warning) takes the focus.
    var summary = document.getElementById('error-summary') || document.getElementById('duplicates');
    if (summary) summary.focus();
  }
  document.querySelectorAll('[data-print]').forEach(function (b) {
    b.addEventListener('click', function () { window.print(); });
  });
  // The decision form: the fields the chosen outcome requires (workflow `require` lines) become
  // required; the server checks the same without JavaScript.
  Array.prototype.forEach.call(document.querySelectorAll('details.action form'), function (f) {
    var outcome = f.querySelector('select[name=outcome]');
    var labels = f.querySelectorAll('label[data-required-for]');
    if (!outcome || !labels.length) return;
    function sync() {
      Array.prototype.forEach.call(labels, function (l) {
        var on = l.getAttribute('data-required-for').split(',').some(function (v) {
          return v.slice(-1) === '*' ? outcome.value.indexOf(v.slice(0, -1)) === 0 : outcome.value === v;
        });
        var input = l.querySelector('input, textarea, select');
        if (input) input.required = on;
        l.classList.toggle('needed', on);
      });
    }
    outcome.addEventListener('change', sync);
    sync();
  });
})();
