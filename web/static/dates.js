// Dates as people in Việt Nam write them, ngày/tháng/năm (24/11/2026), whatever language the
// browser is set to: a browser's own date field shows mm/dd/yyyy on an English system. A text
// field marked data-date="<its label>" gets the slashes as the digits are typed and a «Chọn ngày»
// button that opens the browser's calendar; the API still gets ISO dates (toIso).
"use strict";

const Dates = (() => {
  const DMY = /^(\d{1,2})[/.\-\s](\d{1,2})[/.\-\s](\d{4})$/;
  const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
  const EXAMPLE = "ví dụ 24/11/2026";

  const pad = (number) => String(number).padStart(2, "0");

  // [year, month, day] of a typed date, or null; `real` false when no such day exists.
  function parts(text) {
    const value = (text || "").trim();
    let found = value.match(DMY);
    if (found) return check(+found[3], +found[2], +found[1]);
    found = value.match(ISO);
    return found ? check(+found[1], +found[2], +found[3]) : null;
  }

  function check(year, month, day) {
    const date = new Date(Date.UTC(year, month - 1, day));
    const real = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
    return { year, month, day, real };
  }

  // "24/11/2026" → "2026-11-24"; anything else is returned as typed (the checks say why).
  function toIso(text) {
    const found = parts(text);
    return found && found.real ? `${found.year}-${pad(found.month)}-${pad(found.day)}` : (text || "").trim();
  }

  // "2026-11-24" → "24/11/2026"; anything else as it is.
  function fromIso(value) {
    const found = parts(value);
    return found && found.real ? `${pad(found.day)}/${pad(found.month)}/${found.year}` : (value || "");
  }

  // Why this text is not a date, or null (an empty field is no error here).
  function problem(text) {
    const value = (text || "").trim();
    if (!value) return null;
    const found = parts(value);
    if (!found) return `«${value}» chưa đúng dạng ngày/tháng/năm; hãy gõ đủ ngày, tháng và năm 4 chữ số, ${EXAMPLE}`;
    if (!found.real) return `${fromIsoLoose(found)} không phải ngày có thật`;
    return null;
  }

  const fromIsoLoose = ({ year, month, day }) => `${pad(day)}/${pad(month)}/${year}`;

  // The errors of the form's date fields in the API's 422 shape, or null when there are none.
  function errorsIn(form) {
    const errors = {};
    form.querySelectorAll("input[data-date][name]").forEach((control) => {
      const why = problem(control.value);
      if (why) errors[control.name] = [`${control.dataset.date}: ${why}`];
    });
    return Object.keys(errors).length ? { errors: { json: errors } } : null;
  }

  // Slashes added while digits are typed at the end: 3 1 0 2 2 0 2 6 → 31/02/2026. A date typed
  // with its own separators elsewhere (1/2/2026) is left as typed.
  function typed(event) {
    const control = event.target;
    const value = control.value;
    if (control.selectionStart !== value.length || !/^[\d/]*$/.test(value)) return;
    if (event.data === "/") return;
    const slashes = [...value].map((c, i) => (c === "/" ? i : -1)).filter((i) => i >= 0);
    if (!slashes.every((i) => i === 2 || i === 5)) return;
    const digits = value.replace(/\//g, "");
    if (digits.length > 8) return;
    const formatted = digits.slice(0, 2) + (digits.length > 2 ? `/${digits.slice(2, 4)}` : "") +
      (digits.length > 4 ? `/${digits.slice(4)}` : "");
    if (formatted !== value) control.value = formatted;
  }

  function enhance(control) {
    control.addEventListener("input", typed);
    control.addEventListener("blur", () => {
      const found = parts(control.value);
      if (found && found.real) control.value = fromIsoLoose(found);
    });
    const picker = document.createElement("input");
    picker.type = "date";
    picker.tabIndex = -1;
    picker.className = "date-picker";
    picker.setAttribute("aria-hidden", "true");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "date-button";
    button.textContent = "Chọn ngày";
    button.setAttribute("aria-label", `Chọn ${control.dataset.date.toLowerCase()} trên lịch`);
    button.addEventListener("click", () => {
      picker.value = toIso(control.value);
      try { picker.showPicker(); } catch (error) { picker.focus(); }
    });
    picker.addEventListener("change", () => {
      if (!picker.value) return;
      control.value = fromIso(picker.value);
      control.dispatchEvent(new Event("input", { bubbles: true }));
      control.focus();
    });
    const row = document.createElement("div");
    row.className = "date-row";
    control.replaceWith(row);
    row.append(control, button, picker);
  }

  document.querySelectorAll("input[data-date]").forEach(enhance);

  return { toIso, fromIso, problem, errorsIn };
})();
