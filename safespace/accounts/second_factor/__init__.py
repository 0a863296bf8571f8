"""The second factor: authenticator apps (TOTP), passkeys (WebAuthn) and recovery codes.

Built on django-otp (devices, throttling, `user.is_verified()`) and django-otp-webauthn
(passkeys and their JavaScript). Password sign-in is unchanged; after it:

- someone with an authenticator app or a passkey is asked for it (or a recovery code)
  before anything else (`verify`);
- someone who must use a second factor (MFA_REQUIRED_FOR, or an organisation that asks
  it of its facilitators) and has none is sent to set one up first (`setup`);
- everyone else goes on as before, and may add one on their account page.

`middleware.SecondFactorMiddleware` holds everyone who owes a second factor on the
pages that let them give it (and sign-out and "Get help now"); `selectors` says who
owes what, `services` makes every change, `views` are the pages.
"""
