// Fitted by `vraagbaak eval FILE --with OTHER --fit PATH`; do not edit by hand.
Model {
    bias: -7.1310,
    weights: [
        1.9415, // coverage
        2.1081, // lead
        1.4904, // ln_score
        1.4610, // matched_share
        -1.0207, // head_missing
        -1.3218, // aspect_missing
        -0.8577, // unknown_share
        -1.2936, // single_word
        -1.6048, // head_partial
        -1.5162, // not_answered
    ],
}
