import Fluent
import Vapor
import YingshangCore

/// Files attached to a policy document (annexes, forms, the signed original): uploaded and removed by the office,
/// downloadable by everyone like the document itself. Stored by `AttachmentStore` under owner type `policy`.
struct PolicyAttachmentsController: RouteCollection {
    static let ownerType = "policy"

    func boot(routes: any RoutesBuilder) throws {
        routes.on(.POST, "policies", ":id", "attachments", body: .collect(maxSize: "25mb"), use: upload)
        routes.post("policies", ":id", "attachments", ":attachment", "delete", use: remove)
        routes.get("policies", ":id", "attachments", ":attachment", use: download)
    }

    struct UploadForm: Content { var file: File? }

    func upload(req: Request) async throws -> Response {
        let actor = try req.require(.managePolicies)
        let document = try await Self.document(req)
        let form = try req.content.decode(UploadForm.self)
        guard let file = form.file, file.data.readableBytes > 0 else { return fail(req, document, "请选择要上传的附件") }
        if let problem = AttachmentStore.problem(with: file) { return fail(req, document, problem) }
        let store = AttachmentStore(app: req.application)
        let attachment = try await store.store(file, ownerType: Self.ownerType, ownerID: document.requireID(), uploader: actor.userID)
        do {
            try await Transactions.run(on: req.db) { tx in
                try await attachment.create(on: tx)
                try await AuditLog.record(on: tx, actor: actor, action: .create, entityType: "policy_attachment",
                                          entityID: attachment.id!.uuidString,
                                          before: nil, after: ["document": document.id!.uuidString, "file": attachment.fileName])
            }
        } catch {
            store.remove(attachment)
            throw error
        }
        req.session.data["notice"] = "附件已上传"
        return req.redirect(to: "/policies/\(document.id!.uuidString)/edit")
    }

    func remove(req: Request) async throws -> Response {
        let actor = try req.require(.managePolicies)
        let document = try await Self.document(req)
        let attachment = try await Self.attachment(req, of: document)
        try await Transactions.run(on: req.db) { tx in
            try await attachment.delete(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: .delete, entityType: "policy_attachment",
                                      entityID: attachment.id!.uuidString,
                                      before: ["document": document.id!.uuidString, "file": attachment.fileName], after: nil)
        }
        AttachmentStore(app: req.application).remove(attachment)
        req.session.data["notice"] = "附件已删除"
        return req.redirect(to: "/policies/\(document.id!.uuidString)/edit")
    }

    func download(req: Request) async throws -> Response {
        let document = try await Self.document(req)
        return try await AttachmentStore(app: req.application).response(for: try await Self.attachment(req, of: document), request: req)
    }

    /// The files of a document, oldest first, as pages and the API list them.
    static func links(of documentID: UUID, on db: any Database) async throws -> [PolicyDetailDTO.AttachmentLink] {
        try await Attachment.query(on: db).filter(\.$ownerType == ownerType).filter(\.$ownerID == documentID).sort(\.$createdAt).all()
            .map { PolicyDetailDTO.AttachmentLink(id: $0.id!, fileName: $0.fileName, size: $0.size,
                                                  href: "/policies/\(documentID.uuidString)/attachments/\($0.id!.uuidString)") }
    }

    private func fail(_ req: Request, _ document: PolicyRecord, _ message: String) -> Response {
        req.session.data["notice"] = "附件未上传：" + message
        return req.redirect(to: "/policies/\(document.id!.uuidString)/edit")
    }

    private static func document(_ req: Request) async throws -> PolicyRecord {
        guard let id = req.parameters.get("id", as: UUID.self), let document = try await PolicyRecord.find(id, on: req.db) else {
            throw Abort(.notFound)
        }
        return document
    }

    private static func attachment(_ req: Request, of document: PolicyRecord) async throws -> Attachment {
        guard let id = req.parameters.get("attachment", as: UUID.self), let attachment = try await Attachment.find(id, on: req.db),
              attachment.ownerType == ownerType, attachment.ownerID == document.id else { throw Abort(.notFound) }
        return attachment
    }
}
