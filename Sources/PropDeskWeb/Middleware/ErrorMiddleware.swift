import Foundation
import OpenAPIRuntime
import PropDeskCore
import Vapor

/// Turns every error into a clear answer in the caller's language (SEC-5): JSON for the API,
/// a page for people. Unexpected errors are logged and shown without internals.
struct LocalizedErrorMiddleware: AsyncMiddleware {
    struct Body: Content {
        struct Detail: Content { let line: Int?; let field: String?; let message: String }
        let code: String
        let message: String
        let details: [Detail]?
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let domain = Self.domainError(from: error, request: request)
            let lang = request.language
            if request.url.path.hasPrefix("/api/") || !request.headers.accept.contains(where: { $0.mediaType == .html }) {
                let body = Body(code: domain.code, message: domain.message.text(lang),
                                details: domain.details.isEmpty ? nil : domain.details.map { .init(line: $0.line, field: $0.field, message: $0.message.text(lang)) })
                let response = Response(status: Self.status(domain.kind))
                if domain.kind == .methodNotAllowed {
                    response.headers.replaceOrAdd(name: .allow, value: Self.allowedMethods(request).map(\.rawValue).joined(separator: ", "))
                }
                try response.content.encode(body, as: .json)
                response.headers.replaceOrAdd(name: .contentLanguage, value: lang.rawValue)
                return response
            }
            if domain.kind == .unauthenticated {
                // The deep link, query and all, survives the sign-in.
                let target = request.method == .GET ? request.url.path + (request.url.query.map { "?" + $0 } ?? "") : request.url.path
                var allowed = CharacterSet.urlQueryAllowed
                allowed.remove(charactersIn: "&=?+#")
                return request.redirect(to: "/login?next=\(target.addingPercentEncoding(withAllowedCharacters: allowed) ?? "/")")
            }
            return Pages.errorPage(domain, status: Self.status(domain.kind), request: request)
        }
    }

    /// The methods some route answers for this request's path (empty: no route has the path).
    static func allowedMethods(_ request: Request) -> [HTTPMethod] {
        let parts = request.url.path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var methods: [HTTPMethod] = []
        for route in request.application.routes.all where route.path.count == parts.count {
            let matches = zip(route.path, parts).allSatisfy { component, part in
                switch component {
                case .constant(let c): c == part
                case .parameter, .anything: true
                case .catchall: true
                }
            }
            if matches, !methods.contains(route.method) { methods.append(route.method) }
        }
        if methods.contains(.GET), !methods.contains(.HEAD) { methods.append(.HEAD) }
        return methods
    }

    static func status(_ kind: DomainError.Kind) -> HTTPResponseStatus {
        switch kind {
        case .invalidInput: .unprocessableEntity
        case .unauthenticated: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .conflict: .conflict
        case .locked: .locked
        case .tooManyRequests: .tooManyRequests
        case .tooLarge: .payloadTooLarge
        case .methodNotAllowed: .methodNotAllowed
        case .internalError: .internalServerError
        }
    }

    /// What was wrong with a request the contract's decoder refused, in words a person reads: the
    /// field when it is known, never the decoder's internals.
    static func malformed(_ error: (any Error)?, request: Request) -> DomainError {
        var field: String?
        if case let .some(d as DecodingError) = error {
            switch d {
            case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c): field = c.codingPath.map(\.stringValue).last
            case .keyNotFound(let key, _): field = key.stringValue
            @unknown default: break
            }
        }
        // A number past what the server counts in (`page=99999999999999999999`) leaves no coding
        // path; the list parameters are the numbers people type.
        if field?.isEmpty ?? true {
            field = ["page", "per", "limit"].first { name in request.query[String.self, at: name].map { Int($0) == nil } ?? false }
        }
        guard let field, !field.isEmpty else {
            return DomainError(.invalidInput, code: "bad_request",
                               Message(zh: "请求格式不正确,请检查提交的内容", en: "The request is not well formed; check what was sent"))
        }
        return DomainError(.invalidInput, code: "bad_request",
                           Message(zh: "请求格式不正确:\(field) 的值无效或缺失", en: "The request is not well formed: \(field) is missing or not valid"),
                           details: [.init(field: field, message: Message(zh: "值无效或缺失", en: "missing or not valid"))])
    }

    static func domainError(from error: any Error, request: Request) -> DomainError {
        switch error {
        case let e as DomainError:
            return e
        case let e as ServerError:
            if let inner = e.underlyingError as? DomainError { return inner }
            // An error the handler itself threw (the database, say) is ours, not the caller's:
            // logged and answered 500 like any other.
            if e.causeDescription.contains("handler threw") { return domainError(from: e.underlyingError, request: request) }
            // The generated code failed to read the request: a bad body, query or path.
            return malformed(e.underlyingError, request: request)
        case let e as DecodingError:
            return malformed(e, request: request)
        case let e as any AbortError:
            switch e.status {
            case .notFound:
                // A path we serve, asked with a method it does not answer (PUT /me, TRACE …), is
                // not a missing page: 405, and the Allow header says what it does answer.
                if !allowedMethods(request).isEmpty {
                    return DomainError(.methodNotAllowed, code: "method_not_allowed",
                                       Message(zh: "此地址不支持请求方法 \(request.method.rawValue)", en: "Method \(request.method.rawValue) is not allowed here"))
                }
                return .notFound(Noun.page)
            case .unauthorized: return .unauthenticated
            case .forbidden: return .forbidden
            case .payloadTooLarge:
                return .tooLarge(limitBytes: BodyLimitMiddleware.limit(for: request))
            default:
                if (400..<500).contains(e.status.code) {
                    return DomainError(.invalidInput, code: "bad_request", Message(zh: "请求无效:\(e.reason)", en: "Bad request: \(e.reason)"))
                }
            }
            fallthrough
        default:
            request.logger.report(error: error)
            return DomainError(.internalError, code: "internal_error",
                Message(zh: "服务器内部错误,操作未完成,请稍后重试", en: "Internal error: nothing was changed, please try again"))
        }
    }
}
