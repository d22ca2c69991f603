import Crypto
import Foundation
import PropDeskCore

/// Seals personal data at rest (SEC-3) with AES-256-GCM. The key comes from configuration or a
/// key file in the data directory; without it sealed values cannot be read back.
public struct FieldCipher: Sendable {
    private let key: SymmetricKey

    public init(keyBytes: [UInt8]) throws {
        guard keyBytes.count == 32 else {
            throw DomainError(.invalidInput, code: "bad_key", Message(zh: "数据加密密钥必须是 32 字节", en: "The data key must be 32 bytes"))
        }
        key = SymmetricKey(data: keyBytes)
    }

    /// A fresh random key, base64-encoded, for first start.
    public static func newKeyBase64() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
    }

    public func seal(_ text: String) throws -> String {
        let box = try AES.GCM.seal(Data(text.utf8), using: key)
        guard let combined = box.combined else { throw CipherError.sealFailed }
        return "v1:" + combined.base64EncodedString()
    }

    public func open(_ sealed: String) throws -> String {
        guard sealed.hasPrefix("v1:"), let data = Data(base64Encoded: String(sealed.dropFirst(3))) else { throw CipherError.malformed }
        let box = try AES.GCM.SealedBox(combined: data)
        return String(decoding: try AES.GCM.open(box, using: key), as: UTF8.self)
    }

    enum CipherError: Error { case sealFailed, malformed }
}
