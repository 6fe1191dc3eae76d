// What both form pages share: lists of items, reading and filling the form as the API's JSON,
// errors beside their fields, drafts, preview and downloads, (for a unit account) issuing the
// form into the archive, and correcting an archived form (?sua=<record>). No library; no inline
// script.
"use strict";

const Forms = (() => {
  const form = document.getElementById("form");
  const slug = form.dataset.form;
  const api = `/api/v1/${slug}`;
  // Drafts kept in this browser belong to whoever is logged in (or to nobody): on a shared office
  // PC the next person must not open the last one's form. Logging out removes them all (session.js).
  const owner = document.body.dataset.draftOwner || "anon";
  const draftKey = `phieu-draft:${owner}:${slug}`;
  const anonymousKey = `phieu-draft:anon:${slug}`;
  const status = document.getElementById("status");
  const bar = document.getElementById("actions");
  const LOGIN_NEEDED = "Cần đăng nhập (hoặc phiên đăng nhập đã hết): bấm «Đăng nhập» ở góc trên bên phải rồi làm lại; dữ liệu đã gõ vẫn được giữ trên trình duyệt này.";
  // The archived record being corrected (?sua=<id>), or null. While correcting, the page neither
  // reads nor writes the draft kept in this browser: the archived record is what gets corrected.
  // After an issue it follows the new version, so that reloading the page opens that one.
  let correcting = new URLSearchParams(window.location.search).get("sua") || null;

  // ------------------------------------------------------------------ lists of items

  // Names every control of an item by its JSON path (list.index.field), with ids, labels and
  // error lines to match, and gives the item its title ("Dòng 2").
  function renumber(list) {
    const path = list.dataset.list;
    [...list.children].forEach((item, index) => {
      const title = item.querySelector(".item-title");
      if (title) title.textContent = `${list.dataset.number ? list.dataset.number.replace(/\.$/, "") + " – " : ""}Dòng ${index + 1}`;
      const cell = item.querySelector(".index");
      if (cell) cell.textContent = String(index + 1);
      item.querySelectorAll("[data-field]").forEach((control) => {
        const name = `${path}.${index}.${control.dataset.field}`;
        control.name = name;
        control.id = control.type === "radio" ? `f-${name}-${control.value || "chua"}` : `f-${name}`;
        const holder = control.closest(".field, td");
        const label = holder && holder.querySelector("label:not(:has(input))");
        if (label && control.type !== "radio") label.htmlFor = control.id;
        if (control.dataset.label) control.setAttribute("aria-label", `${control.dataset.label}, dòng ${index + 1}`);
        const error = holder && holder.querySelector(".error");
        if (error) {
          error.id = `e-${name}`;
          control.setAttribute("aria-describedby", error.id);
        }
      });
      const remove = item.querySelector(".remove");
      if (remove) remove.setAttribute("aria-label", `Xóa dòng ${index + 1}`);
    });
  }

  function addItem(list, templateId) {
    const item = document.getElementById(templateId).content.firstElementChild.cloneNode(true);
    list.appendChild(item);
    renumber(list);
    return item;
  }

  // Removes an item at once, and offers to put it back where it was, as it was.
  function removeItem(item, onUndo) {
    const list = item.parentElement;
    const index = [...list.children].indexOf(item);
    const next = item.nextElementSibling || item.previousElementSibling;
    const title = item.querySelector(".item-title");
    const what = title ? title.textContent.trim() : `dòng ${index + 1}`;
    item.remove();
    renumber(list);
    const focusTarget = next ? next.querySelector("input, textarea, select") : list.parentElement.querySelector(".add");
    if (focusTarget) focusTarget.focus();
    say(`Đã xóa ${what}.`, {
      label: "Hoàn tác",
      run: () => {
        list.insertBefore(item, list.children[index] || null);
        renumber(list);
        say(`Đã khôi phục ${what}.`);
        const first = item.querySelector("input:not([type=radio]), textarea, select");
        if (first) first.focus();
        onUndo();
      },
    });
  }

  // ------------------------------------------------------------------ form ⇄ JSON

  function setPath(target, path, value) {
    const keys = path.split(".");
    let node = target;
    keys.forEach((key, i) => {
      const last = i === keys.length - 1;
      const nextIsIndex = !last && /^\d+$/.test(keys[i + 1]);
      if (last) node[key] = value;
      else node = node[key] ??= nextIsIndex ? [] : {};
    });
  }

  // The API's JSON from the form: empty fields left out, lists kept in order, numbers as numbers.
  function read() {
    const data = {};
    form.querySelectorAll("[name]").forEach((control) => {
      if (control.type === "file" || (control.type === "radio" && !control.checked)) return;
      const value = "date" in control.dataset ? Dates.toIso(control.value) : control.value;
      if (value.trim() === "") return;
      const number = Number(value);
      setPath(data, control.name, control.dataset.type === "int" && Number.isInteger(number) ? number : value);
    });
    form.querySelectorAll("[data-list]").forEach((list) => {
      const keys = list.dataset.list.split(".");
      let node = data;
      for (const key of keys.slice(0, -1)) node = node[key] ??= {};
      const items = node[keys.at(-1)] ?? [];
      // Every item is kept, empty ones as {} in their place, so error paths match the page.
      node[keys.at(-1)] = Array.from({ length: list.children.length }, (_, i) => items[i] ?? {});
    });
    return data;
  }

  function valueAt(data, path) {
    return path.split(".").reduce((node, key) => (node == null ? undefined : node[key]), data);
  }

  // Fills the form from the API's JSON (a draft); `itemTemplates` maps a list path to its template.
  function fill(data, itemTemplates) {
    form.querySelectorAll("[data-list]").forEach((list) => {
      list.replaceChildren();
      const items = valueAt(data, list.dataset.list) || [];
      items.forEach(() => addItem(list, itemTemplates[list.dataset.list]));
    });
    form.querySelectorAll("[name]").forEach((control) => {
      if (control.type === "file") return;
      const value = valueAt(data, control.name);
      if (control.type === "radio") control.checked = (value ?? "") === control.value;
      else if ("date" in control.dataset) control.value = Dates.fromIso(value ?? "");
      else control.value = value ?? "";
    });
  }

  // ------------------------------------------------------------------ errors

  // The error shown for `control` goes as soon as it is edited: the page does not claim an error
  // the user has already fixed (the service checks again at the next click).
  function clearErrorOf(control) {
    if (!control.name || !control.hasAttribute("aria-invalid")) return;
    form.querySelectorAll(`[name="${CSS.escape(control.name)}"]`).forEach((c) => c.removeAttribute("aria-invalid"));
    const line = document.getElementById(`e-${control.name}`);
    if (line) { line.hidden = true; line.textContent = ""; }
    const summary = document.getElementById("error-summary");
    summary.querySelectorAll(`li[data-path="${CSS.escape(control.name)}"]`).forEach((entry) => entry.remove());
    if (!summary.querySelector("li")) { summary.hidden = true; summary.replaceChildren(); }
    else countErrors(summary);
  }

  function countErrors(summary) {
    const count = summary.querySelectorAll("li").length;
    summary.querySelector("p").textContent = count === 1
      ? "Phiếu còn 1 lỗi cần sửa:"
      : `Phiếu còn ${count} lỗi cần sửa (bấm vào một lỗi để tới ô đó):`;
  }

  // «Dòng 3» (tổng hợp) or «I – Dòng 2» (Phiếu 01) for a control inside an item; "" outside.
  function rowOf(control) {
    const item = control && control.closest(".item");
    if (!item) return "";
    const title = item.querySelector(".item-title");
    if (title) return title.textContent.trim();
    return `Dòng ${[...item.parentElement.children].indexOf(item) + 1}`;
  }

  function clearErrors() {
    form.querySelectorAll(".error").forEach((line) => { line.hidden = true; line.textContent = ""; });
    form.querySelectorAll("[aria-invalid]").forEach((control) => control.removeAttribute("aria-invalid"));
    const summary = document.getElementById("error-summary");
    summary.hidden = true;
    summary.replaceChildren();
  }

  // The control an error path belongs to: itself, or the first control inside that object.
  function controlFor(path) {
    const exact = form.querySelector(`[name="${CSS.escape(path)}"]`);
    if (exact) return exact;
    return [...form.querySelectorAll("[name]")].find((c) => c.name.startsWith(`${path}.`)) || null;
  }

  function showErrors(body) {
    clearErrors();
    const summary = document.getElementById("error-summary");
    const heading = document.createElement("p");
    const listing = document.createElement("ul");
    let first = null;
    const errors = (body.errors && (body.errors.json || body.errors.query)) || {};
    for (const [path, messages] of Object.entries(errors)) {
      const control = controlFor(path);
      const text = messages.join(" ");
      const entry = document.createElement("li");
      entry.dataset.path = control ? control.name : path;
      const row = rowOf(control);
      if (control) {
        control.setAttribute("aria-invalid", "true");
        const line = document.getElementById(`e-${control.name}`);
        if (line) { line.textContent = text; line.hidden = false; }
        const link = document.createElement("a");
        link.href = `#${control.id}`;
        link.textContent = row ? `${row} — ${text}` : text;
        link.addEventListener("click", (event) => { event.preventDefault(); control.focus(); });
        entry.appendChild(link);
        first ??= control;
      } else {
        entry.textContent = text;
      }
      listing.appendChild(entry);
    }
    if (!listing.children.length) {  // a refusal naming no field: its message is all there is
      const entry = document.createElement("li");
      entry.textContent = body.message || "Dữ liệu chưa hợp lệ.";
      listing.appendChild(entry);
    }
    summary.append(heading, listing);
    countErrors(summary);
    summary.hidden = false;
    const target = first || summary;
    target.scrollIntoView({ block: "center" });
    target.focus({ preventScroll: true });
  }

  // The status line sits in the sticky button bar, where the eye is after a click; `action`
  // ({label, run}) adds a button after the text (e.g. «Hoàn tác»), gone with the next message.
  function say(text, action = null) {
    status.replaceChildren(text);
    if (action) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "link-button";
      button.textContent = action.label;
      button.addEventListener("click", () => { status.replaceChildren(); action.run(); });
      status.append(" ", button);
    }
  }

  // While a request runs, every button of the bar is disabled and the bar says so: a second
  // click (a double click on «Tải PDF») does nothing instead of downloading a second file.
  let working = false;
  async function busy(text, task) {
    if (working) return;
    working = true;
    const focused = document.activeElement;  // lost while its button is disabled: given back
    bar.setAttribute("aria-busy", "true");
    bar.querySelectorAll("button, input").forEach((control) => { control.disabled = true; });
    say(text);
    try {
      await task();
    } finally {
      working = false;
      bar.removeAttribute("aria-busy");
      bar.querySelectorAll("button, input").forEach((control) => { control.disabled = false; });
      if (bar.contains(focused) && [null, document.body].includes(document.activeElement)) {
        focused.focus({ preventScroll: true });
      }
    }
  }

  // ------------------------------------------------------------------ requests

  // The page's CSRF token goes with every post: a post riding on the login cookie needs it.
  function csrfToken() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  async function post(url, data) {
    return fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "application/json, application/pdf, */*", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(data),
    });
  }

  function fileName(response, fallback) {
    const header = response.headers.get("Content-Disposition") || "";
    const utf8 = header.match(/filename\*=UTF-8''([^;]+)/i);
    if (utf8) return decodeURIComponent(utf8[1]);
    const plain = header.match(/filename="([^"]+)"/i);
    return plain ? plain[1] : fallback;
  }

  // The filled form as a file, or null after showing why not.
  async function produce(format) {
    clearErrors();
    let response;
    try {
      response = await post(`${api}?format=${format}`, read());
    } catch (error) {
      say("Không kết nối được máy chủ; hãy thử lại.");
      return null;
    }
    if (response.ok) {
      say("");
      return { blob: await response.blob(), name: fileName(response, `phieu.${format}`) };
    }
    const body = await response.json().catch(() => ({}));
    if (response.status === 422) { say(""); showErrors(body); }
    else if (response.status === 401) say(LOGIN_NEEDED);
    else say(body.message || `Lỗi ${response.status}; hãy thử lại.`);
    return null;
  }

  function saveAs(blob, name) {
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 60000);
  }

  let previewUrl = null;
  async function preview() {
    const file = await produce("pdf");
    if (!file) return;
    const frame = document.getElementById("preview");
    if (previewUrl) URL.revokeObjectURL(previewUrl);
    previewUrl = URL.createObjectURL(file.blob);
    frame.src = previewUrl;
    frame.hidden = false;
    frame.scrollIntoView({ block: "start" });
    say(`Đã tạo bản xem trước: ${file.name}`);
  }

  // ------------------------------------------------------------------ the archive

  // A unit account's form starts with its own unit (the archive refuses another unit's name).
  function prefillUnit() {
    if (!form.dataset.unitName) return;
    const name = form.querySelector('[name="unit.name"]');
    const parent = form.querySelector('[name="unit.parent"]');
    if (name.value.trim() !== "") return;
    name.value = form.dataset.unitName;
    if (parent && parent.value.trim() === "") parent.value = form.dataset.unitParent || "";
  }

  function link(href, text) {
    const anchor = document.createElement("a");
    anchor.href = href;
    anchor.textContent = text;
    return anchor;
  }

  // The issued record (the API's answer: new, or `unchanged`), and its archived PDF to print:
  // the copy with the archive code and QR code, the one «Xác minh tệp» recognises.
  function showIssued(record) {
    const box = document.getElementById("issued");
    const head = document.createElement("p");
    head.className = "issued-head";
    head.textContent = record.unchanged
      ? `Nội dung không đổi: phiếu đã được phát hành là bản ${record.version}, mã lưu trữ ${record.code}; không tạo bản mới.`
      : `Đã phát hành và lưu: mã lưu trữ ${record.code}, bản ${record.version}${record.replaced ? `, thay bản ${record.replaced.version}` : ""}.`;
    const links = document.createElement("p");
    const print = link(record.links.pdf, "Tải PDF đã lưu để in (có mã lưu trữ)");
    print.className = "button primary";
    links.append(print, " ", link(`${form.dataset.records}/${record.id}`, "Xem hồ sơ phiếu"));
    const hint = document.createElement("p");
    hint.className = "muted";
    hint.textContent = "Bản để in, ký và nộp là PDF đã lưu này: có mã lưu trữ và mã QR ở chân trang, đối chiếu được với hồ sơ. Bản nháp tải ở trên không có mã.";
    box.replaceChildren(head, links, hint);
    if (record.replaced) {
      const note = document.createElement("p");
      note.className = "muted";
      note.textContent = `Bản ${record.version} là bản sửa, thay bản ${record.replaced.version}; các bản trước vẫn được giữ.`;
      box.appendChild(note);
    }
    if (correcting && !(record.versions || []).some((v) => String(v.id) === String(correcting))) {
      const note = document.createElement("p");
      note.className = "muted";
      note.textContent = "Họ tên, đơn vị hoặc tháng, năm đã đổi nên đây là một phiếu mới, không phải bản sửa của phiếu đang sửa; phiếu đó vẫn giữ nguyên.";
      box.appendChild(note);
    }
    box.hidden = false;
    box.scrollIntoView({ block: "nearest" });
  }

  // Issues the form: the same JSON as the downloads, to the archive; errors show the same way.
  // Content already issued comes back as it was (200, unchanged). Other content for a form
  // already issued is a 409 naming the standing version: the user confirms replacing it, and
  // the form goes again with `replaces` set to that version.
  async function issue(button, replaces = null) {
    clearErrors();
    const box = document.getElementById("issued");
    box.hidden = true;
    box.replaceChildren();
    button.disabled = true;
    say("Đang phát hành và lưu phiếu vào hồ sơ…");
    let response;
    try {
      response = await post(replaces ? `${form.dataset.issue}?replaces=${replaces}` : form.dataset.issue, read());
    } catch (error) {
      say("Không kết nối được máy chủ; phiếu chưa được lưu, hãy thử lại.");
      return;
    } finally {
      button.disabled = false;
    }
    const body = await response.json().catch(() => ({}));
    if (response.status === 201 || response.status === 200) {
      say("");
      showIssued(body);
      if (correcting) {  // the next issue corrects this version; so does a reload
        correcting = String(body.id);
        const here = new URL(window.location.href);
        here.searchParams.set("sua", correcting);
        window.history.replaceState(null, "", here);
        announce(correctionText(body), correctionLinks(body), { status: false });
      }
      return;
    }
    if (response.status === 409 && body.current) {
      const current = body.current;
      const question = `Phiếu này đã được phát hành: bản ${current.version} (mã lưu trữ ${current.code}), với nội dung khác phiếu đang điền.\n\nPhát hành bản ${current.version + 1} thay cho bản ${current.version}? Bản ${current.version} vẫn được giữ trong hồ sơ.`;
      if (window.confirm(question)) { await issue(button, current.version); return; }
      say(`Chưa phát hành: bản ${current.version} (mã lưu trữ ${current.code}) vẫn là bản hiện hành.`);
      return;
    }
    if (response.status === 422) { say(""); showErrors(body); return; }
    if (response.status === 401) { say(`Phiếu chưa được lưu. ${LOGIN_NEEDED}`); return; }
    say(body.message || `Lỗi ${response.status}; phiếu chưa được lưu, hãy thử lại.`);
  }

  // ------------------------------------------------------------------ drafts

  function storeDraft() {
    if (correcting) return;
    try {
      localStorage.setItem(draftKey, JSON.stringify(read()));
      if (owner === "anon") sessionStorage.setItem(anonymousKey, "typed in this tab");
    } catch (error) { /* full or disabled */ }
  }

  // This person's draft. One typed before logging in, in this same tab, becomes theirs: the
  // notice above the form promises that what was typed is kept through the login. One left by
  // somebody else who never logged in (another tab, an earlier session) is not theirs to see.
  function storedDraft() {
    try {
      if (owner !== "anon" && localStorage.getItem(draftKey) === null &&
          localStorage.getItem(anonymousKey) !== null && sessionStorage.getItem(anonymousKey) !== null) {
        sessionStorage.removeItem(anonymousKey);
        localStorage.setItem(draftKey, localStorage.getItem(anonymousKey));
        localStorage.removeItem(anonymousKey);
      }
      return JSON.parse(localStorage.getItem(draftKey) || "null");
    } catch (error) { return null; }
  }

  // What the page starts with, before anything is typed: the place name and the like, from the
  // controls' own default values (the unit of a unit account is added by prefillUnit).
  function defaults() {
    const data = {};
    form.querySelectorAll("[name]").forEach((control) => {
      if (control.closest("[data-list]") || control.type === "file") return;
      if (control.defaultValue) setPath(data, control.name, control.defaultValue);
    });
    return data;
  }

  function draftName() {
    const data = read();
    const who = (data.person && data.person.full_name) || (data.unit && data.unit.name) || "";
    return `Bản nháp ${slug === "phieu-01" ? "Phiếu 01" : "Phiếu tổng hợp"}${who ? " - " + who : ""}.json`;
  }

  function debounce(fn, ms) {
    let timer = null;
    return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
  }

  // ------------------------------------------------------------------ correcting a record

  let notice = null;

  // `text` in the status line beside the buttons and (unless `status` is false, then only) in
  // a notice above the form, followed there by `links` ([address, text] pairs).
  function announce(text, links = [], { status = true } = {}) {
    if (status) say(text);
    if (!notice) {
      notice = document.createElement("p");
      notice.id = "correcting";
      notice.className = "notice warn";
      form.before(notice);
    }
    notice.replaceChildren(text);
    links.forEach(([href, label], index) => notice.append(index ? " · " : " ", link(href, label)));
  }

  function correctionLinks(facts) {
    const links = facts && form.dataset.records ? [[`${form.dataset.records}/${facts.id}`, "Xem hồ sơ phiếu"]] : [];
    links.push([window.location.pathname, storedDraft() ? "Thôi sửa, về bản nháp" : "Thôi sửa, điền phiếu mới"]);
    return links;
  }

  // What correcting the record `facts` (the API's record, with its versions) will do.
  function correctionText(facts) {
    const newest = (facts.versions || []).reduce((top, v) => Math.max(top, v.version), facts.version);
    if (!form.dataset.issue) {
      return `Đã mở phiếu ${facts.code}, bản ${facts.version}; chỉ tài khoản của đơn vị mới phát hành lại được.`;
    }
    if (newest > facts.version) {
      return `Đang sửa phiếu ${facts.code}, bản ${facts.version} (đã có bản ${newest} mới hơn): phát hành sẽ tạo bản ${newest + 1}, các bản cũ vẫn được giữ.`;
    }
    return `Đang sửa phiếu ${facts.code}, bản ${facts.version}: phát hành sẽ tạo bản ${facts.version + 1}, bản cũ vẫn được giữ.`;
  }

  async function getJson(url) {
    const response = await fetch(url, { headers: { "Accept": "application/json" } });
    const body = await response.json().catch(() => null);
    return { response, body };
  }

  // The archived record `correcting` (its facts and its JSON) from the API, on the login cookie;
  // `load` fills the form with it. On any failure the form stays as it was, and says why.
  async function openForCorrection(load) {
    const kept = storedDraft() ? " Bản nháp lưu trên trình duyệt này không bị thay đổi." : "";
    const refuse = (why) => announce(`Không mở được phiếu cần sửa${why}${kept}`, correctionLinks(null));
    if (!/^[1-9]\d{0,15}$/.test(correcting)) {
      refuse(`: «${correcting}» không phải số hồ sơ.`);
      return;
    }
    announce(`Đang mở phiếu cần sửa (hồ sơ số ${correcting}) từ kho lưu trữ…`);
    let record, data;
    try {
      [record, data] = await Promise.all([getJson(`/api/v1/documents/${correcting}`),
        getJson(`/api/v1/documents/${correcting}/json`)]);
    } catch (error) {
      refuse(" vì không kết nối được máy chủ; hãy tải lại trang.");
      return;
    }
    const failed = [record, data].find(({ response, body }) => !response.ok || !body);
    if (failed) {
      const { response, body } = failed;
      refuse(` (hồ sơ số ${correcting}): ${response.status === 401
        ? "cần đăng nhập (hoặc phiên đăng nhập đã hết): bấm «Đăng nhập» ở góc trên bên phải rồi mở lại phiếu."
        : response.status === 404
          ? "không tìm thấy phiếu này trong kho lưu trữ (hoặc phiếu không thuộc đơn vị của tài khoản này)."
          : (body && body.message) || `lỗi ${response.status}.`}`);
      return;
    }
    const facts = record.body;
    if (facts.form !== slug) {
      refuse(` (hồ sơ số ${correcting}): đó là ${facts.form_title}, không phải phiếu của trang này.`);
      return;
    }
    load(data.body);
    announce(correctionText(facts), correctionLinks(facts));
  }

  // ------------------------------------------------------------------ wiring

  // `onChange` runs (debounced) after any edit; `itemTemplates` maps list paths to templates.
  function start({ itemTemplates, onChange = () => {}, onFill = () => {} }) {
    const startValues = defaults();
    const changed = debounce(() => { storeDraft(); onChange(read()); }, 400);
    // The form from JSON: a draft file, or the archived record being corrected.
    const load = (data) => {
      fill(data, itemTemplates);
      prefillUnit();
      onFill();
      changed();
    };
    const edited = (event) => { clearErrorOf(event.target); changed(); };
    form.addEventListener("input", edited);
    form.addEventListener("change", edited);
    form.addEventListener("submit", (event) => event.preventDefault());
    form.addEventListener("click", (event) => {
      const button = event.target.closest("button");
      if (!button) return;
      if (button.classList.contains("remove")) { removeItem(button.closest(".item"), changed); changed(); return; }
      if (button.dataset.add) {
        const list = form.querySelector(`[data-list="${button.dataset.add}"]`);
        const item = addItem(list, itemTemplates[button.dataset.add]);
        item.querySelector("input:not([type=radio]), textarea").focus();
        changed();
        return;
      }
      const action = button.dataset.action;
      const sends = ["preview", "issue", "pdf", "docx"].includes(action);
      if (sends) {  // a date the page can tell is wrong is said here, in the page's own format
        const dateErrors = Dates.errorsIn(form);
        if (dateErrors) { say(""); showErrors(dateErrors); return; }
      }
      if (action === "preview") busy("Đang tạo bản xem trước…", preview);
      else if (action === "issue") busy("Đang phát hành và lưu phiếu vào hồ sơ…", () => issue(button));
      else if (action === "pdf" || action === "docx") {
        busy("Đang tạo phiếu…", () => produce(action).then((file) => {
          if (file) { saveAs(file.blob, file.name); say(`Đã tải ${file.name}`); }
        }));
      } else if (action === "save-draft") {
        saveAs(new Blob([JSON.stringify(read(), null, 2)], { type: "application/json" }), draftName());
      } else if (action === "clear") {
        if (window.confirm("Xóa hết dữ liệu đã nhập trên trang này? (Địa danh, đơn vị được điền lại như lúc mở trang.)")) {
          if (!correcting) localStorage.removeItem(draftKey);
          clearErrors();
          load(startValues);
          say("Đã xóa hết dữ liệu đã nhập.");
        }
      }
    });
    document.getElementById("open-draft").addEventListener("change", async (event) => {
      const file = event.target.files[0];
      event.target.value = "";
      if (!file) return;
      try {
        load(JSON.parse(await file.text()));
        say(`Đã mở bản nháp ${file.name}`);
      } catch (error) {
        say("Tệp này không phải bản nháp JSON hợp lệ.");
      }
    });
    // The bar's height, for the page's scroll padding (app.css): focus never hides under it.
    new ResizeObserver(() => {
      document.documentElement.style.setProperty("--bar-height", `${bar.offsetHeight}px`);
    }).observe(bar);
    // Chromium scrolls a focused control into view without the scroll padding when it is partly
    // visible already: bring up what the Tab key moved under the bar.
    form.addEventListener("focusin", (event) => {
      // Only focus from the keyboard: scrolling under a mouse press would lose its click.
      if (bar.contains(event.target) || !event.target.matches(":focus-visible")) return;
      const hidden = event.target.getBoundingClientRect().bottom - bar.getBoundingClientRect().top;
      if (hidden > 0) window.scrollBy(0, hidden + 16);
    });
    const draft = correcting ? null : storedDraft();
    if (draft) { fill(draft, itemTemplates); say("Đã khôi phục bản nháp lưu trên trình duyệt này."); }
    prefillUnit();
    onFill();
    onChange(read());
    if (correcting) openForCorrection(load);
  }

  return { form, api, read, fill, addItem, renumber, post, start, say, clearErrors, debounce, busy };
})();
