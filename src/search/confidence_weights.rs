// Fitted by `vraagbaak eval FILE --with OTHER --fit PATH`; do not edit by hand.
Model {
    bias: -8.3393,
    weights: [
        2.5847, // coverage
        1.8180, // lead
        1.6009, // ln_score
        1.5504, // matched_share
        -0.4932, // head_missing
        -0.8573, // aspect_missing
        -0.7678, // unknown_share
        -1.1802, // single_word
        -1.1782, // head_partial
        -2.3125, // not_answered
    ],
}
