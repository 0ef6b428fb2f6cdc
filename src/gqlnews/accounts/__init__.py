"""Newsroom accounts: password hashing (:mod:`.passwords`), bearer tokens (:mod:`.tokens`) and
account management and sign-in (:mod:`.users`). What each role may do is
:mod:`gqlnews.permissions`; what each may read is :mod:`gqlnews.visibility`."""
