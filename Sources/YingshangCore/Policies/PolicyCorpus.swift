import Foundation

/// A folder of documents in the corpus layout: `<kind folder>/[<topic folder>/]<title>(YYYY-MM-DD).md`.
public enum PolicyCorpus {
    public struct File: Sendable {
        public var url: URL
        /// Path below the corpus root: the document's identity across imports.
        public var relativePath: String
        public var kind: PolicyKind
        public var topic: String
        public var versionDate: CivilDate?
    }

    /// The documents under `root` (a folder or one file), sorted by path; `_index.md` files are skipped.
    public static func files(at root: URL) -> [File] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isFolder) else { return [] }
        if !isFolder.boolValue { return [file(root, relativePath: root.lastPathComponent)] }
        let base = root.standardizedFileURL.path
        var found: [File] = []
        let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])
        while let url = enumerator?.nextObject() as? URL {
            let name = url.lastPathComponent
            guard ["md", "txt"].contains(url.pathExtension.lowercased()), name != "_index.md", !name.hasPrefix(".") else { continue }
            let full = url.standardizedFileURL.path
            let relative = full.hasPrefix(base + "/") ? String(full.dropFirst(base.count + 1)) : name
            found.append(file(url, relativePath: relative))
        }
        return found.sorted { $0.relativePath < $1.relativePath }
    }

    static func file(_ url: URL, relativePath: String) -> File {
        let folders = relativePath.split(separator: "/").dropLast().map(String.init)
        let kind = PolicyKind(folder: folders.first ?? "")
        var topic = folders.count > 1 ? folders[1] : (folders.first ?? "")
        if topic.hasSuffix("地方法规") { topic.removeLast(4) }
        return File(url: url, relativePath: relativePath, kind: kind, topic: topic, versionDate: versionDate(url.lastPathComponent))
    }

    /// The date in `名称(2019-10-22).md`.
    static func versionDate(_ name: String) -> CivilDate? {
        guard let open = name.lastIndex(of: "("), let close = name.lastIndex(of: ")"), open < close else { return nil }
        return CivilDate(iso: String(name[name.index(after: open)..<close]))
    }

    public static func read(_ file: File) throws -> PolicyDraft {
        let data = try Data(contentsOf: file.url)
        guard let text = String(data: data, encoding: .utf8) else { throw PolicyParseError.notUTF8 }
        return try PolicyTextParser.parse(text, kind: file.kind, topic: file.topic, versionDate: file.versionDate)
    }
}

extension SearchDocument {
    /// The search entry of a policy document: its head (dated lines and preamble) and its articles.
    public static func policy(key: String, title: String, number: String, facets: SearchFacets, history: [String],
                              preamble: String, articles: [PolicyArticle]) -> SearchDocument {
        let head = SearchUnit(text: ([title] + history + [preamble]).filter { !$0.isEmpty }.joined(separator: "\n"))
        let units = articles.map { SearchUnit(anchor: $0.anchor, label: $0.label, number: $0.number, text: $0.text) }
        return SearchDocument(key: key, source: .policy, title: title, number: number, facets: facets, units: [head] + units)
    }
}
