// Phiếu tổng hợp's page: the unit's rows, running totals of each level, and rows loaded from an
// .xlsx/.csv file or pasted from a spreadsheet (parsed by the service).
"use strict";

(() => {
  const rows = document.getElementById("rows");
  const totals = document.getElementById("totals");
  const importError = document.getElementById("import-error");
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

  // Appends imported rows after the rows already typed (dropping empty ones).
  function append(imported) {
    const data = Forms.read();
    const kept = (data.rows || []).filter((_, i) => !isEmpty(rows.children[i]));
    Forms.fill({ ...data, rows: kept.concat(imported) }, templates);
    count();
    Forms.form.dispatchEvent(new Event("change"));
  }

  async function importFrom(body) {
    importError.hidden = true;
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
      Forms.say("Bảng tính không có dòng nào.");
      return;
    }
    append(answer.rows);
    Forms.say(`Đã nhập ${answer.rows.length} dòng.`);
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
  Forms.start({ itemTemplates: templates, onFill: count });
  if (!rows.children.length) { Forms.addItem(rows, "row-template"); }
  count();
})();
