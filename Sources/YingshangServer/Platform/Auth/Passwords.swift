import Vapor

/// bcrypt hashing off the event loop. The cost is 12 in production; tests lower it for speed.
enum Passwords {
    static func hash(_ password: String, on app: Application) async throws -> String {
        let cost = app.bcryptCost
        return try await app.threadPool.runIfActive { try Bcrypt.hash(password, cost: cost) }
    }

    static func verify(_ password: String, against hash: String, on app: Application) async throws -> Bool {
        try await app.threadPool.runIfActive { try Bcrypt.verify(password, created: hash) }
    }

    /// A random password a person can type: 16 characters from an alphabet without look-alikes.
    static func generate(length: Int = 16) -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789")
        var generator = SystemRandomNumberGenerator()
        // Always include a digit, an upper- and a lower-case letter so the password policy holds.
        var characters = (0..<(length - 3)).map { _ in alphabet.randomElement(using: &generator)! }
        characters += [Array("23456789").randomElement()!, Array("ABCDEFGHJKLMNPQRSTUVWXYZ").randomElement()!,
                       Array("abcdefghijkmnopqrstuvwxyz").randomElement()!]
        return String(characters.shuffled(using: &generator))
    }
}

extension Application {
    private struct BcryptCostKey: StorageKey { typealias Value = Int }

    var bcryptCost: Int {
        get { storage[BcryptCostKey.self] ?? 12 }
        set { storage[BcryptCostKey.self] = newValue }
    }
}
