"""Shared page plumbing: templates, error pages, forms, flash messages, CSRF, security headers."""
