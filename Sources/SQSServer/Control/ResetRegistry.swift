import Synchronization

/// The services `POST /_sqslite/reset` resets, in the order they were registered.
public final class ResetRegistry: Sendable {
    private let services = Mutex<[any ResettableService]>([])

    /// Creates an empty registry.
    public init() {}

    /// Adds a service (one with the same name is replaced).
    public func register(_ service: any ResettableService) {
        services.withLock { services in
            services.removeAll { $0.name == service.name }
            services.append(service)
        }
    }

    /// The registered services' names.
    public var names: [String] {
        services.withLock { $0.map(\.name) }
    }

    /// Resets every service, or only `service`; returns what each deleted, by service name.
    /// - Throws: ``ResetError`` for an unknown service, or the first service's failure.
    public func reset(service: String? = nil) async throws -> [String: [String: Int]] {
        let all = services.withLock { $0 }
        let chosen = service.map { name in all.filter { $0.name == name } } ?? all
        if let service, chosen.isEmpty {
            throw ResetError("There is no service \(service); use one of \(all.map(\.name).joined(separator: ", ")).")
        }
        var result: [String: [String: Int]] = [:]
        for entry in chosen {
            result[entry.name] = try await entry.resetAll()
        }
        return result
    }

    /// Resets one resource (a queue) in the services that know it (or only in `service`).
    /// - Throws: ``ResetError`` when no service has it.
    public func reset(resource: String, service: String? = nil) async throws -> [String: [String: Int]] {
        let all = services.withLock { $0 }
        var result: [String: [String: Int]] = [:]
        for entry in all where service == nil || entry.name == service {
            if let counts = try await entry.reset(resource: resource) { result[entry.name] = counts }
        }
        if result.isEmpty { throw ResetError("There is no queue \(resource).", notFound: true) }
        return result
    }
}
