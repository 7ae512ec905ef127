"""One-time links. Django's token generator signs the account's password hash and last
sign-in, so a link stops working the moment it has been used (the password changed) and
after its timeout. Activation links live longer than reset links and use their own salt:
one can never be used as the other."""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode


class ActivationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "apps.signin.tokens.ActivationTokenGenerator"

    def check_token(self, user, token):
        # Django's own check reads PASSWORD_RESET_TIMEOUT; activation has ACTIVATION_TIMEOUT.
        if not (user and token):
            return False
        try:
            ts_b36, _hash = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        return (self._num_seconds(self._now()) - ts) <= settings.ACTIVATION_TIMEOUT


activation_tokens = ActivationTokenGenerator()
reset_tokens = PasswordResetTokenGenerator()


def uid_for(user) -> str:
    return urlsafe_base64_encode(force_bytes(user.pk))
