// After django-otp-webauthn has added a passkey, go to the page named by the nearest
// data-passkey-next (recovery codes, or the account page), which shows the result.
document.addEventListener("otp_webauthn.register_complete", (event) => {
  const holder = event.target.closest("[data-passkey-next]") || document.querySelector("[data-passkey-next]");
  window.location.assign((holder && holder.dataset.passkeyNext) || window.location.href);
});
