import NIOCore

/// How long and how many: a client that sends nothing, drips its headers,
/// or never closes after a refusal must not hold a descriptor for good.
enum ConnectionLimits {
    /// A connection with no complete request (or nothing at all) for this
    /// long is closed: the idle timeout, and so the header-read timeout.
    static let idleTimeout: TimeAmount = .seconds(10)
    /// After the service has said its last word and half-closed, the
    /// client has this long to close its side before the socket is closed.
    static let lingerAfterHalfClose: TimeAmount = .seconds(2)
    /// Connections at once; beyond it the listener stops accepting until
    /// one closes (the daemon never reaches its descriptor limit).
    static let maximumConnections = 64
    /// Request headers larger than this are refused (400).
    static let maximumHeaderBytes = 16 * 1024
}

/// Turns the service's half-close into a full close once the linger has
/// passed: a refused client that keeps sending or never closes would
/// otherwise keep the socket (FIN-WAIT-2 on its side, a descriptor on ours).
final class FullCloseAfterHalfClose: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = NIOAny

    private var scheduled: Scheduled<Void>?

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        context.close(mode: mode, promise: promise)
        guard mode == .output, scheduled == nil else { return }
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        scheduled = context.eventLoop.scheduleTask(in: ConnectionLimits.lingerAfterHalfClose) {
            let context = loopBound.value
            if context.channel.isActive { context.close(mode: .all, promise: nil) }
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        scheduled?.cancel()
        scheduled = nil
    }
}
