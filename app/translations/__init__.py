"""The interface's gettext catalogs (messages.pot, zh_Hans and en), read by app.web.i18n."""
