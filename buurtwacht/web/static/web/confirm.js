// Forms with data-confirm ask first (leaving a group, removing a member, closing an alert).
// In the capture phase, so a "no" stops the submit before live.js sends it.
document.addEventListener(
  "submit",
  (event) => {
    const form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  },
  true,
);
