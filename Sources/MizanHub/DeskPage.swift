/// The redemption desk's page for a cooperative's cashier, Arabic first,
/// phone and tablet sized: the card (a USB reader types it and Enter, or the
/// cashier types it), the household's name and balance as of each kiosk's
/// last contact, the amount, the household's PIN, confirm, the receipt.
/// No inline script or style; text is written with `textContent` only.
enum DeskPage {
    static let policy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

    static let html = """
        <!DOCTYPE html>
        <html lang="ar" dir="rtl">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>ميزان — صندوق الجمعية</title>
        <link rel="stylesheet" href="/desk/desk.css">
        <script src="/desk/desk.js" defer></script>
        </head>
        <body>
        <header><h1 data-t="title">صندوق الجمعية</h1><button id="language" type="button">English</button></header>
        <form id="login" hidden>
          <label for="token" data-t="token">رمز دخول أمين الصندوق</label>
          <input id="token" type="password" autocomplete="off">
          <button id="login-button" type="button" data-t="login">دخول</button>
        </form>
        <section id="desk" hidden>
          <p id="who"></p>
          <label for="card" data-t="card">مرّروا البطاقة على القارئ أو اكتبوا رقمها</label>
          <input id="card" autocomplete="off" autocapitalize="characters" spellcheck="false">
          <form id="household" hidden>
            <p class="name"><bdi id="name"></bdi></p>
            <p><span data-t="balance">الرصيد المتاح</span>: <bdi id="balance" class="money"></bdi></p>
            <ul id="as-of"></ul>
            <label for="amount" data-t="amount">المبلغ</label>
            <input id="amount" inputmode="decimal" autocomplete="off">
            <label for="pin" data-t="pin">الرمز السري للأسرة (تُدخله الأسرة)</label>
            <input id="pin" type="password" inputmode="numeric" autocomplete="off" maxlength="8">
            <button id="confirm" type="button" data-t="confirm">تأكيد الصرف</button>
          </form>
          <p id="message" role="status"></p>
          <p id="done" hidden><a id="receipt-link" target="_blank" data-t="receipt">الإيصال</a>
            <button id="void" type="button" data-t="void">إلغاء هذه العملية</button></p>
          <button id="next" type="button" data-t="next">أسرة جديدة</button>
          <button id="logout" type="button" data-t="logout">خروج</button>
        </section>
        </body>
        </html>

        """

    static let style = """
        body { font-family: "Noto Sans Arabic", "Noto Sans", "DejaVu Sans", sans-serif; margin: 0 auto; max-width: 40rem;
          padding: 1rem; font-size: 1.15rem; color: #111; background: #fff; }
        header { display: flex; justify-content: space-between; align-items: center; }
        label { display: block; margin-top: 1rem; font-weight: bold; }
        input { width: 100%; box-sizing: border-box; font-size: 1.5rem; padding: 0.5rem; margin-top: 0.3rem; }
        button { font-size: 1.2rem; padding: 0.6rem 1.2rem; margin-top: 1rem; }
        #confirm { width: 100%; background: #1b5e20; color: #fff; border: 0; font-size: 1.4rem; }
        #confirm:disabled { background: #777; }
        .name { font-size: 1.6rem; font-weight: bold; }
        .money { font-size: 1.6rem; font-weight: bold; }
        #message { font-size: 1.3rem; min-height: 1.5em; }
        #message.refused { color: #b71c1c; }
        #message.done { color: #1b5e20; }
        bdi { unicode-bidi: isolate; }

        """

    static let script = """
        'use strict';
        (function () {
          const T = {
            ar: { title: 'صندوق الجمعية', token: 'رمز دخول أمين الصندوق', login: 'دخول',
              card: 'مرّروا البطاقة على القارئ أو اكتبوا رقمها', balance: 'الرصيد المتاح', amount: 'المبلغ',
              pin: 'الرمز السري للأسرة (تُدخله الأسرة)', confirm: 'تأكيد الصرف', receipt: 'الإيصال',
              void: 'إلغاء هذه العملية', next: 'أسرة جديدة', logout: 'خروج', other: 'English',
              unknown: 'لا توجد أسرة بهذه البطاقة لدى البلدية.', noName: 'أسرة بلا اسم مسجّل',
              asOf: 'حتى آخر اتصال', done: 'تم الصرف. رقم العملية', voided: 'أُلغيت العملية. رقم الإلغاء',
              network: 'تعذّر الاتصال بالخادم. أعيدوا المحاولة: لن تُخصم العملية مرتين.', badLogin: 'رمز الدخول غير صحيح.' },
            en: { title: 'Cooperative desk', token: 'Cashier login token', login: 'Log in',
              card: 'Tap the card on the reader or type its number', balance: 'Available balance', amount: 'Amount',
              pin: 'Household PIN (the household types it)', confirm: 'Confirm payment', receipt: 'Receipt',
              void: 'Void this redemption', next: 'Next household', logout: 'Log out', other: 'عربي',
              unknown: 'The municipality has no household with this card.', noName: 'Household without a registered name',
              asOf: 'as of last contact', done: 'Paid. Redemption number', voided: 'Voided. Void number',
              network: 'The server could not be reached. Try again: it will not be debited twice.',
              badLogin: 'Wrong login token.' }
          };
          const $ = (id) => document.getElementById(id);
          let language = 'ar';
          let key = null;
          let card = null;
          let lastReceipt = null;
          let lastMessage = null;
          const fresh = () => (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random().toString(36).slice(2));
          const money = (minor) => {
            const sign = minor < 0 ? '-' : '';
            const m = Math.abs(minor);
            return sign + Math.floor(m / 100) + '.' + String(m % 100).padStart(2, '0');
          };
          function tell(text, kind, code) {
            const box = $('message');
            box.textContent = text;
            box.className = kind || '';
            box.dataset.code = code || '';
          }
          function translate() {
            document.documentElement.lang = language;
            document.documentElement.dir = language === 'ar' ? 'rtl' : 'ltr';
            document.querySelectorAll('[data-t]').forEach((node) => { node.textContent = T[language][node.dataset.t]; });
            $('language').textContent = T[language].other;
            if (lastMessage) { tell(lastMessage[language], lastMessage.kind, lastMessage.code); }
          }
          async function call(method, path, body) {
            const options = { method: method, credentials: 'same-origin', headers: {} };
            if (body !== undefined) {
              options.headers = { 'Content-Type': 'application/json', 'X-Mizan-Desk': '1' };
              options.body = JSON.stringify(body);
            }
            const response = await fetch(path, options);
            let data = {};
            try { data = await response.json(); } catch (e) { data = {}; }
            return { status: response.status, data: data };
          }
          function show(logged) {
            $('login').hidden = logged;
            $('desk').hidden = !logged;
            (logged ? $('card') : $('token')).focus();
          }
          function reset() {
            card = null; key = null; lastReceipt = null; lastMessage = null;
            $('household').hidden = true; $('done').hidden = true;
            $('card').value = ''; $('amount').value = ''; $('pin').value = '';
            tell('');
            $('card').focus();
          }
          function refused(data) {
            lastMessage = { ar: data.message_ar, en: data.message_en, kind: 'refused', code: data.refused };
            tell(lastMessage[language], 'refused', data.refused);
          }
          async function lookUp() {
            const typed = $('card').value.trim();
            if (!typed) { return; }
            const answer = await call('GET', '/desk/api/household?card=' + encodeURIComponent(typed));
            $('household').hidden = answer.status !== 200;
            $('done').hidden = true;
            if (answer.status === 401) { show(false); return; }
            if (answer.status !== 200) {
              lastMessage = { ar: T.ar.unknown, en: T.en.unknown, kind: 'refused', code: 'unknown_card' };
              tell(lastMessage[language], 'refused', 'unknown_card');
              return;
            }
            const household = answer.data;
            card = household.card_uid;
            key = fresh();
            lastMessage = null;
            tell('');
            $('name').textContent = household.name || T[language].noName;
            $('balance').textContent = money(household.balance);
            const list = $('as-of');
            list.textContent = '';
            household.earned.forEach((earning) => {
              const item = document.createElement('li');
              const kiosk = document.createElement('bdi');
              kiosk.textContent = earning.kiosk + ': ' + money(earning.amount) + ' — ' + T[language].asOf + ' ' + (earning.as_of || '');
              item.appendChild(kiosk);
              list.appendChild(item);
            });
            if (household.locked_until_ms) { refused({ refused: 'locked', message_ar: 'أُوقف الصرف بهذه البطاقة مؤقتاً.', message_en: 'Spending with this card is locked for now.' }); }
            $('amount').focus();
          }
          async function confirm() {
            if (!card) { return; }
            const button = $('confirm');
            button.disabled = true;
            try {
              const answer = await call('POST', '/desk/api/redeem', { card: card, amount: $('amount').value.trim(), pin: $('pin').value, key: key });
              $('pin').value = '';
              if (answer.status === 200) {
                const receipt = answer.data.receipt;
                lastReceipt = receipt.seq;
                lastMessage = { ar: T.ar.done + ' ' + receipt.seq, en: T.en.done + ' ' + receipt.seq, kind: 'done', code: 'done' };
                tell(lastMessage[language], 'done', 'done');
                $('receipt-link').href = '/desk/receipt/' + receipt.seq;
                $('done').hidden = false;
                key = fresh();
                const again = await call('GET', '/desk/api/household?card=' + encodeURIComponent(card));
                if (again.status === 200) { $('balance').textContent = money(again.data.balance); }
              } else if (answer.status === 401) {
                show(false);
              } else {
                refused(answer.data);
              }
            } catch (e) {
              lastMessage = { ar: T.ar.network, en: T.en.network, kind: 'refused', code: 'network' };
              tell(lastMessage[language], 'refused', 'network');
            } finally {
              button.disabled = false;
            }
          }
          async function voidLast() {
            if (!lastReceipt) { return; }
            const answer = await call('POST', '/desk/api/void', { seq: lastReceipt, key: 'void-' + lastReceipt + '-' + key });
            if (answer.status === 200) {
              const receipt = answer.data.receipt;
              lastMessage = { ar: T.ar.voided + ' ' + receipt.seq, en: T.en.voided + ' ' + receipt.seq, kind: 'done', code: 'voided' };
              tell(lastMessage[language], 'done', 'voided');
              $('done').hidden = true;
              const again = await call('GET', '/desk/api/household?card=' + encodeURIComponent(card));
              if (again.status === 200) { $('balance').textContent = money(again.data.balance); }
            } else {
              refused(answer.data);
            }
          }
          document.addEventListener('DOMContentLoaded', async () => {
            // The forms are never sent: the page speaks JSON to the desk's API.
            document.querySelectorAll('form').forEach((form) => form.addEventListener('submit', (event) => event.preventDefault()));
            $('language').addEventListener('click', () => { language = language === 'ar' ? 'en' : 'ar'; translate(); });
            $('login-button').addEventListener('click', async () => {
              const answer = await call('POST', '/desk/login', { token: $('token').value.trim() });
              $('token').value = '';
              if (answer.status === 200) { $('who').textContent = answer.data.cashier + ' — ' + answer.data.cooperative; show(true); }
              else { tell(T[language].badLogin, 'refused', 'bad_login'); }
            });
            $('token').addEventListener('keydown', (event) => { if (event.key === 'Enter') { $('login-button').click(); } });
            $('card').addEventListener('keydown', (event) => { if (event.key === 'Enter') { event.preventDefault(); lookUp(); } });
            $('pin').addEventListener('keydown', (event) => { if (event.key === 'Enter') { confirm(); } });
            $('confirm').addEventListener('click', confirm);
            $('void').addEventListener('click', voidLast);
            $('next').addEventListener('click', reset);
            $('logout').addEventListener('click', async () => { await call('POST', '/desk/logout', {}); reset(); show(false); });
            const me = await call('GET', '/desk/api/me');
            if (me.status === 200) { $('who').textContent = me.data.cashier + ' — ' + me.data.cooperative; }
            show(me.status === 200);
          });
        })();

        """
}
