// Fitted by `vraagbaak eval FILE --with OTHER --fit PATH`; do not edit by hand.
Model {
    bias: -7.0336,
    weights: [
        2.0033, // coverage
        2.1625, // lead
        1.4397, // ln_score
        1.4207, // matched_share
        -0.9338, // head_missing
        -1.3334, // aspect_missing
        -0.8009, // unknown_share
        -1.3010, // single_word
        -1.5683, // head_partial
        -2.0921, // not_answered
        -1.8051, // listed_lean
        -0.6270, // listed_named
    ],
}
