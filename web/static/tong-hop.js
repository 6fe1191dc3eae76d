// Phiếu tổng hợp's page: the unit's rows, running totals of each level, and rows loaded from an
// .xlsx/.csv file or pasted from a spreadsheet (parsed by the service).
"use strict";

(() => {
  const rows = document.getElementById("rows");
  const totals = document.getElementById("totals");
  const importError = document.getElementById("import-error");
  const importChoice = document.getElementById("import-choice");
  const templates = { rows: "row-template" };
  const LEVELS = { tot: "Tốt", trung_binh: "TB", kem: "Kém" };

  function count() {
    const counts = { tot: 0, trung_binh: 0, kem: 0, "": 0 };
    rows.querySelectorAll(".item").forEach((row) => {
      const checked = row.querySelector('input[type="radio"]:checked');
      counts[checked ? checked.value : ""] += 1;
    });
    totals.textContent = `Cộng: ${Object.entries(LEVELS).map(([slug, label]) => `${label} ${counts[slug]}`).join(" · ")}` +
      ` · Chưa đánh giá ${counts[""]} · Tổng ${rows.children.length} người`;
  }

  function isEmpty(row) {
    return [...row.querySelectorAll("input[type=text], textarea")].every((c) => c.value.trim() === "") &&
      !row.querySelector('input[type="radio"]:checked:not([value=""])');
  }

  // Puts imported rows after the rows already typed (dropping empty ones), or in their place.
  function place(imported, replace, replacing = true) {
    const data = Forms.read();
    const kept = replace ? [] : (data.rows || []).filter((_, i) => !isEmpty(rows.children[i]));
    Forms.fill({ ...data, rows: kept.concat(imported) }, templates);
    count();
    Forms.form.dispatchEvent(new Event("change"));
    const done = replace && replacing ? `Đã thay các dòng cũ bằng ${imported.length} dòng từ bảng tính.`
      : `Đã nhập ${imported.length} dòng${kept.length ? `, sau ${kept.length} dòng đã có` : ""}.`;
    Forms.say(done);
    importNote(done);
  }

  // A message beside the import controls (where the user looks after choosing a file), with
  // buttons when there is something to choose.
  function importNote(text, choices = []) {
    importChoice.replaceChildren(text);
    choices.forEach(([label, run, primary]) => {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = label;
      if (primary) button.className = "primary";
      button.addEventListener("click", () => { importChoice.replaceChildren(); importChoice.hidden = true; run(); });
      importChoice.append(" ", button);
    });
    importChoice.hidden = false;
    if (choices.length) importChoice.querySelector("button").focus();
  }

  // Rows already typed: importing a second file (or the same one again) asks whether the new
  // rows replace them or go after them, instead of doubling the list without a word.
  function offer(imported) {
    const typed = [...rows.children].filter((row) => !isEmpty(row)).length;
    if (!typed) { place(imported, true, false); return; }
    importNote(`Bảng đang có ${typed} dòng; bảng tính có ${imported.length} dòng. `, [
      ["Thay các dòng đang có", () => place(imported, true), true],
      ["Thêm vào sau các dòng đang có", () => place(imported, false)],
      ["Thôi, không nhập", () => Forms.say("Chưa nhập dòng nào.")],
    ]);
  }

  async function importFrom(body) {
    importError.hidden = true;
    importChoice.hidden = true;
    const token = document.querySelector('meta[name="csrf-token"]').content;
    let response;
    try {
      response = await fetch("/tong-hop/nhap-bang", { method: "POST", body, headers: { "X-CSRFToken": token } });
    } catch (error) {
      importError.textContent = "Không kết nối được máy chủ; hãy thử lại.";
      importError.hidden = false;
      return;
    }
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) {
      importError.textContent = answer.message || `Lỗi ${response.status}.`;
      importError.hidden = false;
      return;
    }
    if (!answer.rows.length) {
      importNote("Bảng tính không có dòng nào.");
      return;
    }
    offer(answer.rows);
  }

  document.getElementById("import-file").addEventListener("change", (event) => {
    const file = event.target.files[0];
    if (!file) return;
    const body = new FormData();
    body.append("file", file);
    event.target.value = "";
    importFrom(body);
  });

  Forms.form.addEventListener("click", (event) => {
    const button = event.target.closest('[data-action="import-text"]');
    if (!button) return;
    const text = document.getElementById("import-text");
    const body = new FormData();
    body.append("text", text.value);
    importFrom(body).then(() => { if (importError.hidden) text.value = ""; });
  });

  Forms.form.addEventListener("change", count);
  new MutationObserver(count).observe(rows, { childList: true });
  // The form always has a row to type in: at first, after «Xóa hết», after an empty draft.
  function atLeastOneRow() {
    if (!rows.children.length) Forms.addItem(rows, "row-template");
    count();
  }
  Forms.start({ itemTemplates: templates, onFill: atLeastOneRow });
})();
