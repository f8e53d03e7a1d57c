"""Built-in plugins. Each is an ordinary pluggy plugin; the host registers them by these names,
so a user can disable any of them like a third-party one."""

BUILTIN_PLUGINS: tuple[tuple[str, str], ...] = (
    ("formats", "nianbao.plugins.formats"),
    ("text", "nianbao.plugins.text"),
    ("canonical", "nianbao.plugins.canonical"),
    ("html", "nianbao.plugins.html"),
    ("docx", "nianbao.plugins.docx"),
    ("pdf", "nianbao.plugins.pdf"),
    ("rules", "nianbao.plugins.rules"),
    ("emitters", "nianbao.plugins.emitters"),
)
