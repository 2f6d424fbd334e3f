// Fitted by `vraagbaak eval FILE --with OTHER --fit PATH`; do not edit by hand.
Model {
    bias: -7.1494,
    weights: [
        1.9214, // coverage
        2.1021, // lead
        1.4891, // ln_score
        1.4922, // matched_share
        -1.0143, // head_missing
        -1.0789, // aspect_missing
        -0.8455, // unknown_share
        -1.2885, // single_word
        -1.5885, // head_partial
        -1.5311, // not_answered
    ],
}
