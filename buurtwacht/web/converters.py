"""The one converter for every token, code or slug a URL carries (share links, newsletter
and verification links, municipality codes, password-reset links): what does not look like
one is not a URL of this site (404) and never reaches a query.  A NUL byte in a path
(`/doe-mee/a%00b/`) was a 500 on PostgreSQL, which cannot store or compare one."""

# URL-safe base64 (secrets.token_urlsafe), Django's signed values ("value:stamp:signature",
# a leading "." when compressed), password-reset tokens ("<stamp>-<hash>"), CBS codes.
TOKEN_PATTERN = r"[A-Za-z0-9_.:\-]{1,300}"  # noqa: S105  (a pattern, not a password)


class TokenConverter:
    regex = TOKEN_PATTERN

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
