import Fluent
import Vapor
import YingshangCore

/// The indicator system per year (指标体系) and the targets (目标值): staff read, the office edits. A change that
/// would leave the system unscorable (unknown parent, bad formula, cycle, bounds the wrong way round) is refused
/// with the reason; values are never touched, so editing a formula changes only what the pages compute.
struct IndicatorSystemController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let system = routes.grouped("evaluation", "system")
        system.get(use: index)
        system.get(":year", "new", use: newForm)
        system.post(":year", "indicators", use: create)
        system.get("indicators", ":id", use: editForm)
        system.post("indicators", ":id", use: update)
        system.post("indicators", ":id", "delete", use: delete)
        system.post(":year", "national", use: national)
        system.post(":year", "copy", use: copy)
        let targets = routes.grouped("evaluation", "targets")
        targets.get(use: targetIndex)
        targets.post(use: createTarget)
        targets.post(":id", "delete", use: deleteTarget)
        targets.post("adopt", use: adopt)
    }

    static func year(_ req: Request) -> Int {
        (try? req.query.get(Int.self, at: "year")) ?? req.parameters.get("year", as: Int.self) ?? Today.civil().year
    }

    struct Line: Encodable {
        let id: UUID
        let code, name, unit, direction, bounds, weight, formula, source, responsible, kind: String
        let depth: Int
    }
    struct IndexView: Encodable {
        let year: Int
        let years: [Int]
        let lines: [Line]
        let problems: [String]
        let isOffice: Bool
    }

    func index(req: Request) async throws -> View {
        let principal = try req.require(.readEvaluation)
        let year = Self.year(req)
        let records = try await IndicatorRecord.query(on: req.db).filter(\.$year == year).sort(\.$position).all()
        let system = IndicatorSystem(year: year, indicators: records.map(\.definition))
        let names = try await OrgUnitDirectory.names(on: req.db, short: true)
        let ids = Dictionary(records.map { ($0.code, $0.id!) }, uniquingKeysWith: { a, _ in a })
        let lines = system.outline.map { d, depth in
            Line(id: ids[d.code]!, code: d.code, name: d.name, unit: d.unit, direction: d.direction.label,
                 bounds: d.fixedBounds.map { "\(FactValue.format($0.best)) / \(FactValue.format($0.worst))" } ?? (system.children(of: d.code).isEmpty ? "前沿距离" : d.aggregation.label),
                 weight: FactValue.format(d.weight), formula: d.formula ?? "", source: d.dataSource,
                 responsible: d.responsibleUnitID.flatMap(UUID.init(uuidString:)).flatMap { names[$0] } ?? "",
                 kind: d.isDataElement ? "数据项" : system.children(of: d.code).isEmpty ? (d.isCollected ? "采集" : "公式") : "汇总", depth: depth)
        }
        let years = Set(try await IndicatorRecord.query(on: req.db).all(\.$year)).union([year, Today.civil().year]).sorted()
        return try await req.page("evaluation/system", title: "\(year)年评价指标体系", IndexView(
            year: year, years: years, lines: lines, problems: system.problems(), isOffice: principal.role.may(.runEvaluation)))
    }

    struct EditView: Encodable {
        let year: Int
        let id: UUID?
        let d: IndicatorDefinition
        let outlierPercent: String
        let parents: [FormOption]
        let units: [FormOption]
        let directions: [FormOption]
        let aggregations: [FormOption]
        let errors: [String]
    }

    func newForm(req: Request) async throws -> View {
        try req.require(.runEvaluation)
        let year = Self.year(req)
        var draft = IndicatorDefinition(code: "", name: "", parentCode: try? req.query.get(String.self, at: "parent"))
        draft.outlierChange = 0.5
        return try await edit(req, year: year, id: nil, draft, errors: [])
    }

    func editForm(req: Request) async throws -> View {
        try req.require(.runEvaluation)
        guard let id = req.parameters.get("id", as: UUID.self), let record = try await IndicatorRecord.find(id, on: req.db) else { throw APIError.notFound }
        return try await edit(req, year: record.year, id: id, record.definition, errors: [])
    }

    private func edit(_ req: Request, year: Int, id: UUID?, _ d: IndicatorDefinition, errors: [String]) async throws -> View {
        let system = try await EvaluationBoard.system(year: year, on: req.db)
        let units = try await OrgUnit.query(on: req.db).filter(\.$kind == OrgUnitKind.department.rawValue).sort(\.$code).all()
        return try await req.page("evaluation/indicator-edit", title: id == nil ? "新增指标" : "修改指标：\(d.name)", EditView(
            year: year, id: id, d: d, outlierPercent: d.outlierChange.map { FactValue.format($0 * 100) } ?? "",
            parents: [FormOption(value: "", label: "（一级指标）", selected: d.parentCode == nil)]
                + system.outline.filter { $0.indicator.code != d.code && $0.indicator.formula == nil }.map {
                    FormOption(value: $0.indicator.code, label: String(repeating: "　", count: $0.depth) + $0.indicator.name, selected: $0.indicator.code == d.parentCode)
                },
            units: [FormOption(value: "", label: "（无）", selected: d.responsibleUnitID == nil)]
                + units.map { FormOption(value: $0.id!.uuidString, label: $0.shortName ?? $0.name, selected: $0.id?.uuidString == d.responsibleUnitID) },
            directions: IndicatorDirection.allCases.map { FormOption(value: $0.rawValue, label: $0.label, selected: $0 == d.direction) },
            aggregations: IndicatorAggregation.allCases.map { FormOption(value: $0.rawValue, label: $0.label, selected: $0 == d.aggregation) },
            errors: errors))
    }

    struct IndicatorForm: Content {
        var code: String?, name: String?, unit: String?, direction: String?, best: String?, worst: String?, exponent: String?
        var weight: String?, parent: String?, formula: String?, aggregation: String?, dataElement: String?, dataSource: String?
        var responsible: String?, minimum: String?, maximum: String?, required: String?, outlier: String?

        enum CodingKeys: String, CodingKey {
            case code, name, unit, direction, best, worst, exponent, weight, parent, formula, aggregation, responsible, minimum, maximum, required, outlier
            case dataElement = "data_element", dataSource = "data_source"
        }

        /// The definition the form describes, or the fields that are not numbers.
        func definition() -> (IndicatorDefinition, [String]) {
            var errors: [String] = []
            func number(_ text: String?, _ label: String) -> Double? {
                guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
                guard case .some(.some(let v)) = ValueCheck.number(text) else { errors.append("“\(label)”应为数字"); return nil }
                return v
            }
            func text(_ s: String?) -> String { (s ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
            let formula = text(self.formula)
            let d = IndicatorDefinition(
                code: text(code), name: text(name), unit: text(unit), direction: IndicatorDirection(rawValue: direction ?? "") ?? .higherIsBetter,
                best: number(best, "最优值"), worst: number(worst, "最差值"), exponent: number(exponent, "幂次") ?? 1,
                weight: number(weight, "权重") ?? 1, parentCode: text(parent).isEmpty ? nil : text(parent),
                formula: formula.isEmpty ? nil : formula, aggregation: IndicatorAggregation(rawValue: aggregation ?? "") ?? .mean,
                isDataElement: dataElement == "1" || dataElement == "on", dataSource: text(dataSource),
                responsibleUnitID: text(responsible).isEmpty ? nil : text(responsible),
                minimum: number(minimum, "下限"), maximum: number(maximum, "上限"), isRequired: required == "1" || required == "on",
                outlierChange: number(outlier, "异常变化阈值").map { $0 / 100 })
            return (d, errors)
        }
    }

    func create(req: Request) async throws -> Response {
        let actor = try req.require(.runEvaluation)
        let year = Self.year(req)
        let (definition, errors) = try req.content.decode(IndicatorForm.self).definition()
        return try await persist(req, actor: actor, year: year, record: IndicatorRecord(), definition, errors: errors)
    }

    func update(req: Request) async throws -> Response {
        let actor = try req.require(.runEvaluation)
        guard let id = req.parameters.get("id", as: UUID.self), let record = try await IndicatorRecord.find(id, on: req.db) else { throw APIError.notFound }
        let (definition, errors) = try req.content.decode(IndicatorForm.self).definition()
        return try await persist(req, actor: actor, year: record.year, record: record, definition, errors: errors)
    }

    /// Saves an indicator if the whole system stays valid; a renamed code carries its values, targets and children.
    private func persist(_ req: Request, actor: Principal, year: Int, record: IndicatorRecord, _ d: IndicatorDefinition,
                         errors: [String]) async throws -> Response {
        var system = try await EvaluationBoard.system(year: year, on: req.db).indicators
        let oldCode = record.id == nil ? nil : record.code
        if let oldCode, let index = system.firstIndex(where: { $0.code == oldCode }) {
            system[index] = d
            if oldCode != d.code { for k in system.indices where system[k].parentCode == oldCode { system[k].parentCode = d.code } }
        } else {
            system.append(d)
        }
        let problems = errors + IndicatorSystem(year: year, indicators: system).problems()
        guard problems.isEmpty else {
            return try await edit(req, year: year, id: record.id, d, errors: problems).encodeResponse(status: .unprocessableEntity, for: req)
        }
        let before = record.id == nil ? nil : record.definition
        try await Transactions.run(on: req.db) { tx in
            if record.id == nil {
                record.year = year
                record.position = (try await IndicatorRecord.query(on: tx).filter(\.$year == year).max(\.$position) ?? -1) + 1
            }
            record.apply(d)
            try await record.save(on: tx)
            if let oldCode, oldCode != d.code {
                try await IndicatorRecord.query(on: tx).filter(\.$year == year).filter(\.$parentCode == oldCode).set(\.$parentCode, to: d.code).update()
                try await IndicatorValueRecord.query(on: tx).filter(\.$year == year).filter(\.$indicatorCode == oldCode)
                    .set(\.$indicatorCode, to: d.code).set(\.$updatedAt, to: Date()).update()
                try await TargetRecord.query(on: tx).filter(\.$year == year).filter(\.$indicatorCode == oldCode).set(\.$indicatorCode, to: d.code).update()
            }
            try await AuditLog.record(on: tx, actor: actor, action: before == nil ? .create : .update, entityType: "evaluation_indicator",
                                      entityID: try record.requireID().uuidString, before: before, after: d)
            try await EvaluationRevision.bump(on: tx)
        }
        req.flash("已保存指标“\(d.name)”。")
        return req.redirect(to: "/evaluation/system?year=\(year)")
    }

    func delete(req: Request) async throws -> Response {
        let actor = try req.require(.runEvaluation)
        guard let id = req.parameters.get("id", as: UUID.self), let record = try await IndicatorRecord.find(id, on: req.db) else { throw APIError.notFound }
        let system = try await EvaluationBoard.system(year: record.year, on: req.db)
        let used = try await IndicatorValueRecord.query(on: req.db).filter(\.$year == record.year).filter(\.$indicatorCode == record.code).count()
        let referencing = system.indicators.filter { ($0.formula ?? "").contains("#{\(record.code)}") }.map(\.name)
        if !system.children(of: record.code).isEmpty || used > 0 || !referencing.isEmpty {
            req.flash("不能删除“\(record.name)”：" + (used > 0 ? "已有 \(used) 条数据" : !referencing.isEmpty ? "被“\(referencing.joined(separator: "、"))”的公式引用" : "还有下级指标"))
            return req.redirect(to: "/evaluation/system?year=\(record.year)")
        }
        try await Transactions.run(on: req.db) { tx in
            try await TargetRecord.query(on: tx).filter(\.$year == record.year).filter(\.$indicatorCode == record.code).delete()
            try await record.delete(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: .delete, entityType: "evaluation_indicator", entityID: id.uuidString,
                                      before: record.definition, after: nil)
            try await EvaluationRevision.bump(on: tx)
        }
        req.flash("已删除指标“\(record.name)”。")
        return req.redirect(to: "/evaluation/system?year=\(record.year)")
    }

    /// Starts an empty year with the 18 national first-level indicators.
    func national(req: Request) async throws -> Response {
        let actor = try req.require(.runEvaluation)
        guard let year = req.parameters.get("year", as: Int.self) else { throw APIError.notFound }
        try await replaceEmpty(year: year, with: IndicatorSystem.nationalFirstLevel(year: year).indicators, actor: actor, on: req.db, source: "国家一级指标")
        req.flash("已建立\(year)年指标体系（国家18项一级指标），请为各领域配置二级指标。")
        return req.redirect(to: "/evaluation/system?year=\(year)")
    }

    /// Starts an empty year as a copy of the year before (indicators and their settings; targets are per year).
    func copy(req: Request) async throws -> Response {
        let actor = try req.require(.runEvaluation)
        guard let year = req.parameters.get("year", as: Int.self) else { throw APIError.notFound }
        let previous = try await EvaluationBoard.system(year: year - 1, on: req.db)
        guard !previous.indicators.isEmpty else { throw APIError.badRequest("\(year - 1)年没有指标体系可复制") }
        try await replaceEmpty(year: year, with: previous.indicators, actor: actor, on: req.db, source: "复制\(year - 1)年")
        req.flash("已按\(year - 1)年指标体系建立\(year)年指标体系。")
        return req.redirect(to: "/evaluation/system?year=\(year)")
    }

    static func insert(year: Int, _ indicators: [IndicatorDefinition], on tx: any Database) async throws {
        for (position, d) in indicators.enumerated() {
            let record = IndicatorRecord()
            record.year = year
            record.position = position
            record.apply(d)
            try await record.create(on: tx)
        }
    }

    private func replaceEmpty(year: Int, with indicators: [IndicatorDefinition], actor: Principal, on db: any Database, source: String) async throws {
        try await Transactions.run(on: db) { tx in
            guard try await IndicatorRecord.query(on: tx).filter(\.$year == year).count() == 0 else {
                throw APIError.conflict("\(year)年已有指标体系")
            }
            try await Self.insert(year: year, indicators, on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: .create, entityType: "evaluation_system", entityID: String(year),
                                      before: nil, after: ["source": source, "indicators": String(indicators.count)])
            try await EvaluationRevision.bump(on: tx)
        }
    }

    // MARK: Targets

    struct TargetRow: Encodable { let id: UUID; let indicator, place, target, source: String; let taskID: UUID? }
    struct Adoptable: Encodable { let taskID: UUID; let index: Int; let task, target, subject, plan: String; let adopted: Bool }
    struct TargetsView: Encodable {
        let year: Int
        let rows: [TargetRow]
        let indicators: [FormOption]
        let places: [FormOption]
        let adoptable: [Adoptable]
        let parents: [FormOption]
        let isOffice: Bool
    }

    func targetIndex(req: Request) async throws -> View {
        let principal = try req.require(.readEvaluation)
        let year = Self.year(req)
        let system = try await EvaluationBoard.system(year: year, on: req.db)
        let places = try await EvaluationPlace.all(on: req.db)
        let records = try await TargetRecord.query(on: req.db).filter(\.$year == year).sort(\.$indicatorCode).all()
        let rows = records.map { r in
            let indicator = system.indicator(r.indicatorCode)
            return TargetRow(id: r.id!, indicator: indicator?.name ?? r.indicatorCode,
                             place: r.$place.id.flatMap { id in places.first { $0.id == id }?.name } ?? "全部地区",
                             target: r.target(nearShare: 0).label(unit: indicator?.unit ?? ""), source: r.source, taskID: r.$task.id)
        }
        // Targets the work-point parser found in published plans' tasks, to adopt with one click.
        let adoptedTasks = Set(records.compactMap { $0.$task.id.map { "\($0)" } })
        let plans = try await WorkPlan.query(on: req.db).filter(\.$state == PlanState.published.rawValue).all()
        let tasks = try await PlanTask.query(on: req.db).filter(\.$plan.$id ~~ plans.compactMap(\.id)).filter(\.$targetsJSON != "[]")
            .filter(\.$archived == false).sort(\.$position).range(..<200).all()
        var adoptable: [Adoptable] = []
        for task in tasks {
            let targets = (try? JSONDecoder().decode([WorkPointTarget].self, from: Data(task.targetsJSON.utf8))) ?? []
            for (index, target) in targets.enumerated() {
                adoptable.append(Adoptable(taskID: task.id!, index: index, task: "\(task.number) \(task.title)", target: target.text,
                                           subject: IndicatorTarget.subject(of: target, in: task.text, fallback: task.title),
                                           plan: plans.first { $0.id == task.$plan.id }?.title ?? "",
                                           adopted: adoptedTasks.contains("\(task.id!)")))
            }
        }
        return try await req.page("evaluation/targets", title: "\(year)年目标值", TargetsView(
            year: year, rows: rows,
            indicators: system.indicators.filter { !$0.isDataElement }.map { FormOption(value: $0.code, label: "\($0.code) \($0.name)", selected: false) },
            places: [FormOption(value: "", label: "全部地区", selected: true)] + places.map { FormOption(value: $0.id.uuidString, label: $0.name, selected: false) },
            adoptable: adoptable,
            parents: [FormOption(value: "", label: "（一级指标）", selected: true)]
                + system.children(of: nil).map { FormOption(value: $0.code, label: $0.name, selected: false) },
            isOffice: principal.role.may(.runEvaluation)))
    }

    struct TargetForm: Content { var year: Int?; var code: String?; var place: String?; var value: String? }

    func createTarget(req: Request) async throws -> Response {
        let actor = try req.require(.runEvaluation)
        let form = try req.content.decode(TargetForm.self)
        let year = form.year ?? Today.civil().year
        let system = try await EvaluationBoard.system(year: year, on: req.db)
        guard let indicator = system.indicator(form.code ?? "") else {
            req.flash("请选择\(year)年指标体系中的指标")
            return req.redirect(to: "/evaluation/targets?year=\(year)")
        }
        guard case .some(.some(let value)) = ValueCheck.number(form.value ?? "") else {
            req.flash("目标值“\(form.value ?? "")”不是数字")
            return req.redirect(to: "/evaluation/targets?year=\(year)")
        }
        let placeID = (form.place ?? "").isEmpty ? nil : UUID(uuidString: form.place ?? "")
        try await Self.setTarget(year: year, indicator: indicator, placeID: placeID, value: value, source: "手工设定", taskID: nil, actor: actor, on: req.db)
        req.flash("已设定“\(indicator.name)”的目标值。")
        return req.redirect(to: "/evaluation/targets?year=\(year)")
    }

    /// Sets (or replaces) the target of an indicator for a place (nil = every place) in a year.
    static func setTarget(year: Int, indicator: IndicatorDefinition, placeID: UUID?, value: Double, source: String, taskID: UUID?,
                          actor: Principal?, on db: any Database) async throws {
        try await Transactions.run(on: db) { tx in
            var query = TargetRecord.query(on: tx).filter(\.$year == year).filter(\.$indicatorCode == indicator.code)
            query = placeID.map { id in query.filter(\.$place.$id == id) } ?? query.filter(\.$place.$id == nil)
            let record = try await query.first() ?? TargetRecord()
            let before = record.id == nil ? nil : ["value": FactValue.format(record.value)]
            record.year = year
            record.indicatorCode = indicator.code
            record.$place.id = placeID
            record.value = value
            record.direction = indicator.direction.rawValue
            record.source = source
            record.$task.id = taskID
            try await record.save(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: before == nil ? .create : .update, entityType: "evaluation_target",
                                      entityID: try record.requireID().uuidString, before: before,
                                      after: ["indicator": indicator.code, "value": FactValue.format(value), "source": source])
            try await EvaluationRevision.bump(on: tx)
        }
    }

    func deleteTarget(req: Request) async throws -> Response {
        let actor = try req.require(.runEvaluation)
        guard let id = req.parameters.get("id", as: UUID.self), let record = try await TargetRecord.find(id, on: req.db) else { throw APIError.notFound }
        try await Transactions.run(on: req.db) { tx in
            try await record.delete(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: .delete, entityType: "evaluation_target", entityID: id.uuidString,
                                      before: ["indicator": record.indicatorCode, "value": FactValue.format(record.value)], after: nil)
            try await EvaluationRevision.bump(on: tx)
        }
        return req.redirect(to: "/evaluation/targets?year=\(record.year)")
    }

    struct AdoptForm: Content { var year: Int?; var task: UUID; var index: Int; var parent: String? }

    /// One click: a target a work-point document states becomes an indicator (named from the text before the target,
    /// unit and direction from the target, the task's lead unit responsible) with that target for every place.
    func adopt(req: Request) async throws -> Response {
        let actor = try req.require(.runEvaluation)
        let form = try req.content.decode(AdoptForm.self)
        guard let task = try await PlanTask.query(on: req.db).filter(\.$id == form.task).with(\.$units).first() else { throw APIError.notFound }
        let targets = (try? JSONDecoder().decode([WorkPointTarget].self, from: Data(task.targetsJSON.utf8))) ?? []
        guard form.index >= 0, form.index < targets.count else { throw APIError.notFound }
        let found = targets[form.index]
        let year = form.year ?? Today.civil().year
        var system = try await EvaluationBoard.system(year: year, on: req.db).indicators
        let parent = (form.parent ?? "").isEmpty ? nil : form.parent
        let adopted = IndicatorTarget(adopting: found)
        var number = 1
        while system.contains(where: { $0.code == String(format: "MB%02d", number) }) { number += 1 }
        let indicator = IndicatorDefinition(
            code: String(format: "MB%02d", number), name: IndicatorTarget.subject(of: found, in: task.text, fallback: task.title),
            unit: found.unit, direction: adopted.direction, parentCode: parent, dataSource: "工作要点：\(task.number)",
            responsibleUnitID: task.units.first { $0.role == "lead" }?.$orgUnit.id.uuidString,
            minimum: found.unit == "%" ? 0 : nil, maximum: found.unit == "%" ? 100 : nil, outlierChange: 0.5)
        system.append(indicator)
        let problems = IndicatorSystem(year: year, indicators: system).problems()
        guard problems.isEmpty else {
            req.flash("无法采纳：\(problems.joined(separator: "；"))")
            return req.redirect(to: "/evaluation/targets?year=\(year)")
        }
        try await Transactions.run(on: req.db) { tx in
            let record = IndicatorRecord()
            record.year = year
            record.position = (try await IndicatorRecord.query(on: tx).filter(\.$year == year).max(\.$position) ?? -1) + 1
            record.apply(indicator)
            try await record.create(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: .create, entityType: "evaluation_indicator",
                                      entityID: try record.requireID().uuidString, before: nil, after: indicator)
        }
        try await Self.setTarget(year: year, indicator: indicator, placeID: nil, value: found.value,
                                 source: "工作要点 \(task.number)：\(found.text)", taskID: task.id, actor: actor, on: req.db)
        req.flash("已将“\(indicator.name) \(found.text)”采纳为指标 \(indicator.code) 及其目标值。")
        return req.redirect(to: "/evaluation/targets?year=\(year)")
    }
}
