// Drafts of the forms are kept in this browser (forms.js) per account. On a shared office PC the
// next person must not find them: logging out removes every draft kept here, that of the person
// leaving and any typed before logging in, and so does the page that says «Đã đăng xuất» (in case
// the click's own removal did not run).
"use strict";

(() => {
  function removeDrafts(all) {
    try {
      Object.keys(localStorage)
        .filter((key) => key.startsWith("phieu-draft:") && (all || key.split(":").length === 2))
        .forEach((key) => localStorage.removeItem(key));
    } catch (error) { /* storage disabled: nothing was kept */ }
  }

  removeDrafts(false);  // drafts from before they had an owner (phieu-draft:<form>): whose?
  if ("loggedOut" in document.body.dataset) removeDrafts(true);
  const logout = document.querySelector("form.logout");
  if (logout) logout.addEventListener("submit", () => removeDrafts(true));
})();
