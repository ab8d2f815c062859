/// Converts HTML bodies to readable plain text for the text/plain part.
public enum HTMLText {
  /// A readable text/plain rendering of an HTML body: drops tags/script/style, decodes
  /// entities, keeps links as "text (url)", paragraphs/br/li become line breaks, collapses
  /// whitespace.
  ///
  /// Lines are separated by `\n`. `<head>`, `<title>`, `<script>`,
  /// `<style>` and `<template>` contents and comments are dropped; `<pre>`
  /// keeps its whitespace; list items get `- ` (or `1. ` in `<ol>`);
  /// `<img alt>` text is kept. Invisible padding characters that marketing
  /// templates use in preheaders (ZWNJ, soft hyphen, ...) are removed.
  public static func plainText(fromHTML html: String) -> String {
    var converter = HTMLTextConverter()
    withUTF8Bytes(of: html) { converter.run($0) }
    return String(decoding: converter.out, as: UTF8.self)
  }
}
