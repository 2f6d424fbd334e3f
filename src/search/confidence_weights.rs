// Fitted by `vraagbaak eval FILE --with OTHER --fit PATH`; do not edit by hand.
Model {
    bias: -6.9422,
    weights: [
        1.9400, // coverage
        2.1471, // lead
        1.4345, // ln_score
        1.4073, // matched_share
        -0.9919, // head_missing
        -1.4799, // aspect_missing
        -0.8204, // unknown_share
        -1.2905, // single_word
        -1.6436, // head_partial
        -2.0941, // not_answered
    ],
}
