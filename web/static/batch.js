// The batch issue page (/phat-hanh-lo): posts the spreadsheet and the month's common fields to
// the jobs API (multipart, with the page's CSRF token as forms.js sends it), then polls the job
// and shows its progress, the forms that failed and why (by the sheet's row), the people already
// issued that it left alone or whose forms it replaced, and where the issued forms are.
// /phat-hanh-lo/<id> opens the page on an existing job and picks up polling. No library; no
// inline script.
"use strict";

(() => {
  const form = document.getElementById("batch-form");
  if (!form) return;
  const alertBox = document.getElementById("batch-alert");
  const submit = document.getElementById("batch-submit");
  const sending = document.getElementById("batch-status");
  const section = document.getElementById("tien-do");
  const bar = document.getElementById("batch-bar");
  const count = document.getElementById("batch-count");
  const state = document.getElementById("batch-state");
  const failures = document.getElementById("batch-failures");
  const kept = document.getElementById("batch-kept");
  const replaced = document.getElementById("batch-replaced");
  const links = document.getElementById("batch-links");

  const POLL_MS = 700;
  const RETRY_MS = 3000;
  const LOGIN_NEEDED = "Cần đăng nhập (hoặc phiên đăng nhập đã hết): bấm «Đăng nhập» ở góc trên bên phải rồi mở lại trang này.";
  const FIELDS = ["month", "year", "signed_on", "head_name", "place", "replace_existing"];

  // The job being followed; a new batch (or a new page) stops following the previous one.
  let following = null;

  function csrfToken() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  function showAlert(text) {
    alertBox.textContent = text;
    if (text) alertBox.scrollIntoView({ block: "nearest" });
  }

  function clearErrors() {
    showAlert("");
    form.querySelectorAll("[aria-invalid]").forEach((control) => control.removeAttribute("aria-invalid"));
  }

  // A 422's field messages ({"files": {"file": [...]}, "form": {"month": [...]}}), labelled
  // («Năm: …»; a sheet's own problems «Dòng 8: …», one a line); [] when it has none.
  function fieldMessages(body) {
    const errors = (body && body.errors) || {};
    return ["files", "form"].flatMap((location) => Object.values(errors[location] || {}).flat())
      .filter((message) => typeof message === "string");
  }

  // A 422's field errors mark their controls.
  function markFields(body) {
    const errors = (body && body.errors) || {};
    let first = null;
    for (const location of ["files", "form"]) {
      for (const name of Object.keys(errors[location] || {})) {
        const control = form.elements.namedItem(name);
        if (control && control.setAttribute) {
          control.setAttribute("aria-invalid", "true");
          first ??= control;
        }
      }
    }
    return first;
  }

  function retryAfter(response) {
    const seconds = parseInt(response.headers.get("Retry-After") || "", 10);
    return Number.isFinite(seconds) && seconds > 0 ? ` Có thể gửi lại sau khoảng ${seconds} giây.` : "";
  }

  // Why the API refused the batch, in Vietnamese.
  function refusal(response, body) {
    const message = body && typeof body.message === "string" ? body.message : "";
    switch (response.status) {
      case 401: return LOGIN_NEEDED;
      case 403: return message || "Tài khoản này không được phát hành phiếu.";
      case 413: return `Tệp quá lớn: tối đa ${form.dataset.maxSize}. Hãy chia bảng tính thành nhiều tệp nhỏ hơn rồi gửi từng tệp.`;
      case 422: {
        const fields = fieldMessages(body);
        if (fields.length) return fields.join("\n");
        return message || "Dữ liệu chưa hợp lệ; hãy kiểm tra tệp và các ô rồi gửi lại.";
      }
      case 503: return `Lô chưa được gửi. ${message || "Dịch vụ tạm thời chưa sẵn sàng."}${retryAfter(response)}`;
      default: return `Lỗi ${response.status}${message ? `: ${message}` : ""}; lô chưa được gửi, hãy thử lại.`;
    }
  }

  // ------------------------------------------------------------------ sending the batch

  async function send(event) {
    event.preventDefault();
    clearErrors();
    const file = form.elements.namedItem("file");
    const chosen = file.files[0];
    if (!chosen) {
      file.setAttribute("aria-invalid", "true");
      showAlert("Chưa chọn tệp bảng tính: hãy chọn tệp .xlsx (hoặc .csv) đã điền theo mẫu.");
      file.focus();
      return;
    }
    if (chosen.size === 0) {
      file.setAttribute("aria-invalid", "true");
      showAlert(`Tệp «${chosen.name}» rỗng: hãy chọn tệp bảng tính đã điền theo mẫu.`);
      file.focus();
      return;
    }
    if (chosen.size > Number(form.dataset.maxBytes)) {
      file.setAttribute("aria-invalid", "true");
      showAlert(`Tệp quá lớn: tối đa ${form.dataset.maxSize}. Hãy chia bảng tính thành nhiều tệp nhỏ hơn rồi gửi từng tệp.`);
      file.focus();
      return;
    }
    const dateField = form.elements.namedItem("signed_on");
    const badDate = Dates.problem(dateField.value);
    if (badDate) {
      dateField.setAttribute("aria-invalid", "true");
      showAlert(`${dateField.dataset.date}: ${badDate}`);
      dateField.focus();
      return;
    }
    const data = new FormData();
    data.append("file", chosen, chosen.name);
    for (const name of FIELDS) {
      const raw = form.elements.namedItem(name).value.trim();
      const value = name === "signed_on" ? Dates.toIso(raw) : raw;
      if (value !== "") data.append(name, value);
    }
    const period = { year: form.elements.namedItem("year").value.trim(), month: form.elements.namedItem("month").value };

    submit.disabled = true;
    sending.textContent = "Đang gửi tệp…";
    let response;
    try {
      response = await fetch(form.dataset.api, {
        method: "POST",
        headers: { "Accept": "application/json", "X-CSRFToken": csrfToken() },
        body: data,
      });
    } catch (error) {
      sending.textContent = "";
      showAlert("Không kết nối được máy chủ; lô chưa được gửi, hãy thử lại.");
      return;
    } finally {
      submit.disabled = false;
    }
    sending.textContent = "";
    const body = await response.json().catch(() => null);
    if (response.status === 202 && body && body.id) {
      const here = `${form.dataset.page}/${encodeURIComponent(body.id)}`;
      window.history.pushState(null, "", here);
      follow(body.id, period, body);
      section.scrollIntoView({ block: "start" });  // below the form, out of sight on a phone
      return;
    }
    const first = markFields(body);
    showAlert(refusal(response, body));
    if (first) first.focus({ preventScroll: true });
  }

  // ------------------------------------------------------------------ following a job

  function pad(number) { return String(number).padStart(2, "0"); }

  function link(href, text) {
    const anchor = document.createElement("a");
    anchor.href = href;
    anchor.textContent = text;
    return anchor;
  }

  function setText(element, text) {
    if (element.textContent !== text) element.textContent = text;  // no repeated announcements
  }

  // The progress line: what was issued, and (only when some are) replaced, skipped, unchanged.
  function summary(job) {
    let text = `Đã phát hành ${job.done}/${job.total} phiếu`;
    if (job.replaced) text += ` (${job.replaced} phiếu thay bản đã phát hành)`;
    if (job.skipped) text += `, bỏ qua ${job.skipped} người đã có phiếu`;
    if (job.unchanged) text += `, ${job.unchanged} phiếu không đổi`;
    return `${text}, ${job.failed} lỗi`;
  }

  // Where an item came from: its sheet row, or (a batch sent as JSON) its place in the batch.
  function origin(item) {
    return item.row ? String(item.row) : `phiếu thứ ${item.position + 1}`;
  }

  function record(item, text) {
    return item.document_id ? link(`${form.dataset.records}/${item.document_id}`, text) : text;
  }

  // The version a person already had that the batch left alone, and why.
  function standing(item) {
    return [record(item, `bản ${item.version}`), item.status === "unchanged"
      ? ": giống hệt phiếu trong bảng tính" : ": giữ nguyên; bảng tính có nội dung khác"];
  }

  // Rows of a result table: [label, content: text, element or a list of them] per cell.
  function fillTable(holder, rows) {
    holder.querySelector("tbody").replaceChildren(...rows.map((cells) => {
      const row = document.createElement("tr");
      for (const [label, content] of cells) {
        const cell = document.createElement("td");
        cell.dataset.label = label;
        cell.append(...[content].flat());
        row.appendChild(cell);
      }
      return row;
    }));
    holder.hidden = rows.length === 0;
  }

  function render(job, period) {
    section.hidden = false;
    const finished = job.total - job.pending;
    bar.max = Math.max(job.total, 1);
    bar.value = job.total ? finished : 0;
    setText(count, summary(job));
    const left = job.pending ? ` Còn ${job.pending} phiếu đang chờ.` : "";
    setText(state, job.status === "done"
      ? `Đã xong. ${job.done ? "Các phiếu đã phát hành được lưu trong kho với mã lưu trữ riêng." : "Không phiếu nào được phát hành."}`
      : `${job.status_label || "Đang phát hành"}…${left} Có thể đóng trang này: lô vẫn được phát hành; mở lại địa chỉ này để xem tiếp.`);
    if (job.status !== "done") return;

    const items = job.items || [];
    fillTable(failures, (job.failures || []).map((failure) => [["Dòng", origin(failure)],
      ["Họ và tên", failure.label || "(không có họ tên)"], ["Lý do", failure.error || ""]]));
    const leftAlone = items.filter((item) => item.status === "skipped" || item.status === "unchanged");
    fillTable(kept, leftAlone.map((item) => [["Dòng", origin(item)], ["Họ và tên", item.label],
      ["Phiếu đang giữ", standing(item)]]));
    document.getElementById("batch-kept-hint").hidden = !items.some((item) => item.status === "skipped");
    fillTable(replaced, items.filter((item) => item.replaced_version).map((item) => [
      ["Dòng", origin(item)], ["Họ và tên", item.label],
      ["Bản cũ → bản mới", record(item, `bản ${item.replaced_version} → bản ${item.version}`)]]));

    const parts = [];
    if (period && period.year && period.month) {
      const query = new URLSearchParams({ form: "phieu-01", month: period.month, year: period.year });
      const month = `${pad(period.month)}/${period.year}`;
      parts.push(link(`${form.dataset.records}?${query}`, `Xem các Phiếu số 01 đã lưu tháng ${month}`));
      parts.push(link(`${form.dataset.unitMonth}/${period.year}/${period.month}`,
        `Tình trạng đơn vị tháng ${month} (phiếu tổng hợp, hồ sơ in)`));
    } else {
      parts.push(link(form.dataset.records, "Xem các phiếu đã lưu"));
    }
    links.replaceChildren(...parts.map((part) => {
      const item = document.createElement("li");
      item.appendChild(part);
      return item;
    }));
    links.hidden = false;
  }

  async function follow(jobId, period, first) {
    const ticket = {};
    following = ticket;
    failures.hidden = true;
    kept.hidden = true;
    replaced.hidden = true;
    links.hidden = true;
    bar.removeAttribute("value");  // indeterminate until the first answer
    setText(count, "Đang mở lô…");
    setText(state, "");
    section.hidden = false;
    if (first) render(first, period);
    let lost = false;
    while (following === ticket) {
      let response, job;
      try {
        response = await fetch(`${form.dataset.jobs}/${encodeURIComponent(jobId)}`, { headers: { "Accept": "application/json" } });
        job = await response.json().catch(() => null);
      } catch (error) {
        response = null;
      }
      if (following !== ticket) return;
      if (response && response.ok && job) {
        if (lost) { showAlert(""); lost = false; }
        render(job, period);
        if (job.status === "done") return;
        await pause(POLL_MS);
        continue;
      }
      if (response && response.status === 401) { showAlert(LOGIN_NEEDED); return; }
      if (response && response.status === 404) {
        showAlert("Không có lô phiếu này (hoặc đó là lô của đơn vị khác).");
        section.hidden = true;
        return;
      }
      lost = true;
      showAlert(response
        ? `Chưa đọc được tiến độ (lỗi ${response.status}); đang thử lại… Lô vẫn được phát hành trên máy chủ.`
        : "Mất kết nối với máy chủ; đang thử lại… Lô vẫn được phát hành trên máy chủ.");
      await pause(RETRY_MS);
    }
  }

  function pause(ms) { return new Promise((resolve) => setTimeout(resolve, ms)); }

  function periodOfPage() {
    const { jobYear, jobMonth } = form.dataset;
    return jobYear && jobMonth ? { year: jobYear, month: jobMonth } : null;
  }

  form.addEventListener("submit", send);
  if (form.dataset.job) follow(form.dataset.job, periodOfPage());
  // Back and forward between /phat-hanh-lo and /phat-hanh-lo/<id>: the page reloads its state.
  window.addEventListener("popstate", () => window.location.reload());
})();
