namespace Collectives.Transport;

/// <summary>
/// What a receive found: the label the sender attached and the payload length. The payload is
/// written into the receiver's buffer only when the label equals the expected one and the length
/// equals the buffer's length (<see cref="Delivered"/>); otherwise the message is consumed and its
/// payload discarded, so a mismatched message can never overwrite the receiver's data.
/// </summary>
/// <param name="Tag">The label the sender attached.</param>
/// <param name="Length">The payload length in bytes.</param>
/// <param name="Delivered">Whether the payload was written into the receive buffer.</param>
public readonly record struct ReceivedMessage(MessageTag Tag, int Length, bool Delivered);
