import Mail

/// Images kept beside the templates (`Templates/images/logo.png`) and shown
/// with `<img src="images/logo.png">` travel inside the message: the source
/// becomes `cid:logo.png@flowc` and the bytes an inline part, so they show
/// without the mail client fetching anything.
enum InlineImages {
  static let folder = "images/"

  static func embed(_ html: String, images: [String: [UInt8]]) -> (String, [InlineImage]) {
    guard !images.isEmpty else { return (html, []) }
    var attached: [InlineImage] = []
    let rewritten = HTMLAttributes.rewriteTags("img", in: html) { image in
      guard let source = image.value("src"), let data = images[source] else { return }
      let name = String(source.dropFirst(folder.count))
      let contentID = "\(name)@flowc"
      if !attached.contains(where: { $0.contentID == contentID }) {
        attached.append(
          InlineImage(
            contentID: contentID, contentType: contentType(of: name), filename: name, data: data))
      }
      image.set("src", "cid:\(contentID)")
    }
    return (rewritten, attached)
  }

  /// The media type for a file name's extension.
  static func contentType(of name: String) -> String {
    switch name.split(separator: ".").last?.lowercased() {
    case "png": return "image/png"
    case "jpg", "jpeg": return "image/jpeg"
    case "gif": return "image/gif"
    case "webp": return "image/webp"
    case "svg": return "image/svg+xml"
    default: return "application/octet-stream"
    }
  }

  /// Whether a file in the images folder is one we send.
  static func isImage(_ name: String) -> Bool {
    contentType(of: name) != "application/octet-stream"
  }
}
