/// What replay applies a recording to: the same `FeedIntake` the live view and `summary` use.
///
/// Its parts are settable inside the module, so a keyframe can hold the state without its node
/// table and get it back from an earlier keyframe (see `ReplayIndex`).
public typealias ReplayIntake = FeedIntake
