import Testing
import YingshangCore

@Suite("Roles and org-unit scope")
struct AccessTests {
    let parentOf = ["dept-a": "region", "section-a1": "dept-a", "section-a2": "dept-a", "dept-b": "region"]

    @Test("Department staff read their own unit and everything below it, nothing else")
    func subtree() {
        let scope = OrgUnitScope(role: .unitStaff, userUnitID: "dept-a", parentOf: parentOf)
        #expect(scope.allowedUnitIDs == ["dept-a", "section-a1", "section-a2"])
        #expect(scope.allows("section-a2"))
        #expect(!scope.allows("dept-b"))
        #expect(!scope.allows("region"))
        #expect(!scope.allows(nil))
    }

    @Test("Staff without a unit see nothing; office roles see everything; enterprises see no unit records")
    func otherRoles() {
        #expect(OrgUnitScope(role: .unitStaff, userUnitID: nil, parentOf: parentOf).allowedUnitIDs == [])
        for role in [Role.admin, .leader, .supervisor] {
            #expect(OrgUnitScope(role: role, userUnitID: nil, parentOf: parentOf).allows("dept-b"))
        }
        #expect(!OrgUnitScope(role: .enterprise, userUnitID: nil, parentOf: parentOf).allows("dept-b"))
    }

    @Test("Only administrators change the directory, users and the calendar; leaders approve")
    func permissions() {
        for permission in [Permission.manageOrgUnits, .manageUsers, .readAuditLog, .manageCalendar, .runLedger, .runBenefits] {
            #expect(Role.allCases.filter { $0.may(permission) } == [.admin])
        }
        #expect(Role.allCases.filter { $0.may(.approve) } == [.admin, .leader])
        #expect(!Role.supervisor.may(.readUsers))
        #expect(Role.allCases.filter { $0.may(.readEnterpriseFiles) } == [.admin, .leader, .unitStaff, .supervisor])
        #expect(Role.supervisor.seesMaskedPersonalData)
        #expect(Role.allCases.map(\.label) == ["管理员", "领导", "责任单位", "特邀监督员", "企业用户"])
    }

    @Test("A cycle in the parent map does not hang the subtree walk")
    func cycle() {
        let looped = ["a": "b", "b": "a"]
        #expect(OrgUnitScope.subtree(of: "a", parentOf: looped) == ["a", "b"])
    }
}
