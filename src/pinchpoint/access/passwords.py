"""What a password must be: long, not the user's name, not one everyone tries first.

Length beats composition rules (NIST SP 800-63B, 5.1.1.2): at least `MIN_LENGTH`
characters, any characters, checked against the user's name and a short built-in list
of the passwords that guessing tools try first (compared without case, spaces or
punctuation, so "Password 1234!" is "password1234"). The list is small on purpose: it
stops the obvious, and the lockout (`pinchpoint.access.accounts`) slows down the rest.
"""

from __future__ import annotations

from pinchpoint.store.directory import DirectoryError

__all__ = ["COMMON", "MAX_LENGTH", "MIN_LENGTH", "check_password"]

MIN_LENGTH = 12
MAX_LENGTH = 1000  # scrypt of a megabyte is a denial of service, not a password
_COMMON_LIST = """
password password1 password12 password123 password1234 password12345 passw0rd1234
123456789012 1234567890123 12345678901234 123456123456 qwertyuiop qwertyuiop12
qwertyuiop123 1q2w3e4r5t6y 1qaz2wsx3edc qazwsxedcrfv abc123456789 abcdefghijkl
iloveyou1234 letmein12345 letmeinplease welcome12345 welcome123456 changeme1234
changemenow administrator admin1234567 adminadmin12 trustno11234 football1234
baseball1234 monkey123456 dragon123456 sunshine1234 princess1234 superman1234
starwars1234 correcthorsebatterystaple 111111111111 000000000000 aaaaaaaaaaaa
pinchpoint123 pinchpoint1234 passwordpassword
"""
COMMON = frozenset(_COMMON_LIST.split())


def _plain(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


def check_password(user: str, password: str) -> None:
    """Refuse, in one sentence, a password too short, too long, built on the user's name
    or on the common list."""
    if len(password) < MIN_LENGTH:
        raise DirectoryError(f"a password needs at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise DirectoryError(f"a password has at most {MAX_LENGTH} characters")
    plain, name = _plain(password), _plain(user)
    if name and (name == plain or (len(name) >= 4 and name in plain)):
        raise DirectoryError("a password must not contain the user's name")
    if plain in COMMON or len(set(plain)) < 4:
        raise DirectoryError("that password is on the list of the first ones guessed; "
                             "choose a longer phrase of your own")
