// Phiếu 01's page: items under each section, and the guidance's suggestion and warnings beside
// the ratings, from the /validate endpoint, as the user fills in the items.
"use strict";

(() => {
  const advice = document.getElementById("advice");
  const templates = {};
  Forms.form.querySelectorAll("[data-list]").forEach((list) => { templates[list.dataset.list] = "item-template"; });

  let asked = 0;
  async function advise(data) {
    const ticket = ++asked;
    let response;
    try { response = await Forms.post(`${Forms.api}/validate`, data); } catch (error) { return; }
    if (ticket !== asked) return;  // a newer edit is already being checked
    advice.replaceChildren();
    if (!response.ok) {
      advice.textContent = "Gợi ý sẽ hiện khi đã điền đủ đơn vị, tháng, năm và họ tên.";
      return;
    }
    const body = await response.json();
    const suggestion = document.createElement("p");
    suggestion.className = "suggestion";
    suggestion.textContent = `Gợi ý kết quả nhận diện biểu hiện theo các dòng đã nhận diện: ${body.suggestions.identification_rating_label}.`;
    advice.appendChild(suggestion);
    if (body.warnings.length) {
      const list = document.createElement("ul");
      list.className = "warnings";
      for (const warning of body.warnings) {
        const entry = document.createElement("li");
        entry.textContent = warning.message;
        list.appendChild(entry);
      }
      advice.appendChild(list);
    }
  }

  Forms.start({ itemTemplates: templates, onChange: advise });
})();
