import Fluent
import Vapor
import YingshangCore

/// The office's side of the library: upload a normative document (.txt or .docx), edit a document's core clauses,
/// validity and links, and edit the search synonyms. Every change is audited and reaches the index at once.
struct PolicyOfficeController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("policies", "upload", use: uploadForm)
        routes.on(.POST, "policies", "upload", body: .collect(maxSize: "25mb"), use: upload)
        routes.get("policies", ":id", "edit", use: editForm)
        routes.post("policies", ":id", "edit", use: save)
        routes.get("policies", "synonyms", use: synonymsForm)
        routes.post("policies", "synonyms", use: saveSynonyms)
    }

    static let maxUploadBytes = 20 * 1024 * 1024
    static let uploadKinds: [PolicyKind] = [.normativeDocument, .policyDocument, .interpretation, .departmentalRule, .localRegulation]

    struct UploadView: Encodable { let kinds: [FormOption]; let topic: String; let error: String? }

    func uploadForm(req: Request) async throws -> View {
        try req.require(.managePolicies)
        return try await req.page("policies/upload", title: "上传规范性文件", UploadView(kinds: kindOptions(nil), topic: "", error: nil))
    }

    struct UploadForm: Content { var file: File?; var kind: String?; var topic: String? }

    func upload(req: Request) async throws -> Response {
        let actor = try req.require(.managePolicies)
        let form = try req.content.decode(UploadForm.self)
        let fail = { (message: String) async throws -> Response in
            try await req.page("policies/upload", title: "上传规范性文件",
                               UploadView(kinds: kindOptions(form.kind), topic: form.topic ?? "", error: message))
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
        guard let kind = form.kind.flatMap(PolicyKind.init(rawValue:)) else { return try await fail("请选择文件类别") }
        guard let file = form.file, file.data.readableBytes > 0 else { return try await fail("请选择要上传的文件") }
        guard file.data.readableBytes <= Self.maxUploadBytes else { return try await fail("文件过大（上限 20 MB）") }
        guard ["txt", "docx"].contains((file.filename as NSString).pathExtension.lowercased()) else {
            return try await fail("只支持 .txt（UTF-8 或 GBK 编码）和 .docx 文件；.doc 和 PDF 请先另存为 .docx")
        }
        let draft: PolicyDraft
        do {
            let text = try WorkPointFile.text(from: Data(buffer: file.data))
            draft = try PolicyTextParser.parse(text, kind: kind, topic: form.topic?.trimmingCharacters(in: .whitespaces) ?? "")
        } catch let error as PolicyParseError {
            return try await fail("无法读取该文件：\(error.description)")
        } catch {
            return try await fail("无法读取该文件：\(error.localizedDescription)")
        }
        let (record, _) = try await PolicyStore.save(draft, sourcePath: nil, actor: actor, on: req.db)
        let relinked = try await PolicyStore.linkVersions(titles: [record.title], actor: actor, on: req.db)
        try await req.application.policySearch.refresh(policies: [record.requireID()] + relinked, on: req.db)
        return req.redirect(to: "/policies/\(try record.requireID())/edit")
    }

    private func kindOptions(_ selected: String?) -> [FormOption] {
        Self.uploadKinds.map { FormOption(value: $0.rawValue, label: $0.rawValue, selected: $0.rawValue == selected) }
    }

    struct EditView: Encodable {
        struct Field: Encodable { let key, label, value: String }
        let id: UUID
        let title: String
        let clauses: [Field]
        let validities: [FormOption]
        let derived: String
        let expiredOn: String
        let interprets: String
        let attachments: [PolicyDetailDTO.AttachmentLink]
        let errors: [String: String]
    }

    func editForm(req: Request) async throws -> View {
        try req.require(.managePolicies)
        let record = try await find(req)
        let interprets = try await record.interprets.asyncMap { try await PolicyRecord.find($0, on: req.db)?.title } ?? nil
        return try await req.page("policies/edit", title: "编辑：\(record.title)",
                                  try await editView(record, values: nil, interprets: interprets ?? "", errors: [:], on: req.db))
    }

    private func editView(_ record: PolicyRecord, values: EditForm?, interprets: String, errors: [String: String],
                          on db: any Database) async throws -> EditView {
        let clauses = record.clauses
        let derived = record.derivedValidity(on: Today.civil())
        let override = values?.validity ?? record.validityOverride ?? ""
        return EditView(
            id: record.id!, title: record.title,
            clauses: CoreClauses.fields.map { f in EditView.Field(key: f.key, label: f.label, value: values?.clauses[f.key] ?? clauses[keyPath: f.path]) },
            validities: [FormOption(value: "", label: "按日期自动判断（当前：\(derived.rawValue)）", selected: override.isEmpty)]
                + PolicyValidity.allCases.map { FormOption(value: $0.rawValue, label: $0.rawValue, selected: $0.rawValue == override) },
            derived: derived.rawValue, expiredOn: values?.expiredOn ?? record.expiredOn ?? "", interprets: values?.interprets ?? interprets,
            attachments: try await PolicyAttachmentsController.links(of: record.requireID(), on: db), errors: errors)
    }

    struct EditForm: Content {
        var validity: String?
        var expiredOn: String?
        var interprets: String?
        var clauses: [String: String]
        enum CodingKeys: String, CodingKey { case validity, expiredOn = "expired_on", interprets }
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            validity = try c.decodeIfPresent(String.self, forKey: .validity)
            expiredOn = try c.decodeIfPresent(String.self, forKey: .expiredOn)
            interprets = try c.decodeIfPresent(String.self, forKey: .interprets)
            let all = try decoder.container(keyedBy: AnyKey.self)
            var clauses: [String: String] = [:]
            for f in CoreClauses.fields { clauses[f.key] = try all.decodeIfPresent(String.self, forKey: AnyKey(f.key)) ?? "" }
            self.clauses = clauses
        }
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func save(req: Request) async throws -> Response {
        let actor = try req.require(.managePolicies)
        let record = try await find(req)
        let form = try req.content.decode(EditForm.self)
        var errors: [String: String] = [:]
        let validity = form.validity.flatMap { $0.isEmpty ? nil : $0 }
        if let validity, PolicyValidity(rawValue: validity) == nil { errors["validity"] = "没有这个效力状态" }
        let expired = form.expiredOn?.trimmingCharacters(in: .whitespaces) ?? ""
        if !expired.isEmpty, CivilDate(iso: expired) == nil { errors["expired_on"] = "日期格式应为 YYYY-MM-DD" }
        var interprets: PolicyRecord?
        let interpretsName = form.interprets?.trimmingCharacters(in: .whitespaces) ?? ""
        if !interpretsName.isEmpty {
            interprets = try await KnowledgeBase.findDocument(interpretsName, on: req.db)
            if interprets == nil { errors["interprets"] = "找不到文件“\(interpretsName)”" }
            if interprets?.id == record.id { errors["interprets"] = "不能解读自身" }
        }
        for f in CoreClauses.fields where (form.clauses[f.key] ?? "").count > 4000 { errors[f.key] = "\(f.label)不能超过 4000 字" }
        guard errors.isEmpty else {
            return try await req.page("policies/edit", title: "编辑：\(record.title)",
                                      try await editView(record, values: form, interprets: interpretsName, errors: errors, on: req.db))
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
        let today = Today.civil()
        let before = PolicyStore.summary(record)
        let validityBefore = record.validity(on: today)
        var clauses = CoreClauses()
        for f in CoreClauses.fields { clauses[keyPath: f.path] = form.clauses[f.key]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "" }
        record.coreClauses = String(decoding: try JSONEncoder().encode(clauses), as: UTF8.self)
        record.validityOverride = validity
        record.expiredOn = expired.isEmpty ? nil : expired
        record.interprets = interprets?.id
        try await Transactions.run(on: req.db) { tx in
            try await record.save(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: .update, entityType: "policy", entityID: record.id!.uuidString,
                                      before: before, after: PolicyStore.summary(record))
            let now = record.validity(on: today)
            if now != validityBefore, now == .repealed || now == .amended {
                try await KnowledgeBase.notifyOwners(citing: record.id!, reason: "引用的《\(record.title)》\(now.rawValue)", on: tx)
            }
        }
        try await req.application.policySearch.refresh(policies: [record.requireID()], on: req.db)
        req.session.data["notice"] = "已保存"
        return req.redirect(to: "/policies/\(record.id!.uuidString)")
    }

    private func find(_ req: Request) async throws -> PolicyRecord {
        guard let id = req.parameters.get("id", as: UUID.self), let record = try await PolicyRecord.find(id, on: req.db) else { throw Abort(.notFound) }
        return record
    }

    struct SynonymsView: Encodable { let text: String; let standardCount: Int; let error: String? }

    func synonymsForm(req: Request) async throws -> View {
        try req.require(.managePolicies)
        let rows = try await SearchSynonymRecord.query(on: req.db).sort(\.$abbreviation).all()
        let text = rows.map { "\($0.abbreviation)\t\($0.expansions)" }.joined(separator: "\n")
        return try await req.page("policies/synonyms", title: "检索同义词", SynonymsView(text: text, standardCount: SynonymTable.standard.entries.count, error: nil))
    }

    struct SynonymsForm: Content { var text: String }

    func saveSynonyms(req: Request) async throws -> Response {
        let actor = try req.require(.managePolicies)
        let form = try req.content.decode(SynonymsForm.self)
        let parsed = SynonymTable.parse(form.text)
        if let bad = parsed.badLines.first {
            return try await req.page("policies/synonyms", title: "检索同义词",
                                      SynonymsView(text: form.text, standardCount: SynonymTable.standard.entries.count,
                                                   error: "第 \(bad) 行格式不对：应为“简称 全称1|全称2”"))
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
        let entries = parsed.entries.map { ($0.0, $0.1.joined(separator: "|")) }
        let table = Dictionary(entries, uniquingKeysWith: { "\($0)|\($1)" })
        let lines = entries.map { "\($0.0)\t\($0.1)" }
        try await Transactions.run(on: req.db) { tx in
            try await SearchSynonymRecord.query(on: tx).delete()
            for (key, expansions) in table {
                let row = SearchSynonymRecord()
                row.abbreviation = key
                row.expansions = expansions
                try await row.create(on: tx)
            }
            try await AuditLog.record(on: tx, actor: actor, action: .update, entityType: "search_synonyms", entityID: "office",
                                      before: nil, after: lines)
        }
        try await req.application.policySearch.replaceSynonyms(on: req.db)
        req.session.data["notice"] = "同义词已保存，检索立即生效"
        return req.redirect(to: "/policies/synonyms")
    }
}
