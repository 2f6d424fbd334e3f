// Fitted by `vraagbaak eval FILE --with OTHER --fit PATH`; do not edit by hand.
Model {
    bias: -7.0372,
    weights: [
        2.1959, // coverage
        2.0612, // lead
        1.4175, // ln_score
        1.3996, // matched_share
        -0.8604, // head_missing
        -1.3914, // aspect_missing
        -0.8992, // unknown_share
        -1.3058, // single_word
        -1.8145, // head_partial
        -1.4781, // not_answered
    ],
}
