package org.custody.access;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordPolicyTest {
    @Test
    void lengthCommonRepeatedSequentialAndUserNameDerivedPasswordsAreRefusedAndNothingElse() {
        assertThat(PasswordPolicy.problem("lawyer", "short")).hasValueSatisfying(problem -> assertThat(problem).contains("12"));
        assertThat(PasswordPolicy.problem("lawyer", "x".repeat(1025))).isPresent();
        assertThat(PasswordPolicy.problem("administrator", "Administrator")).isPresent();
        assertThat(PasswordPolicy.problem("lawyer", "Password1234")).hasValue("is one of the most common passwords");
        assertThat(PasswordPolicy.problem("lawyer", "qwerty123456")).isPresent();
        // NIST SP 800-63B: repetitive or sequential characters, and context-specific words such as the user name
        assertThat(PasswordPolicy.problem("lawyer", "aaaaaaaaaaaaaaaa")).hasValueSatisfying(problem -> assertThat(problem).contains("repeated"));
        assertThat(PasswordPolicy.problem("lawyer", " ".repeat(16))).isPresent();
        assertThat(PasswordPolicy.problem("lawyer", "abcabcabcabcabc")).isPresent();
        assertThat(PasswordPolicy.problem("lawyer", "abcdefghijklmnop")).hasValueSatisfying(problem -> assertThat(problem).contains("consecutive"));
        assertThat(PasswordPolicy.problem("lawyer", "ZYXWVUTSRQPONM")).isPresent();
        assertThat(PasswordPolicy.problem("lawyer", "7890123456789")).isPresent();
        assertThat(PasswordPolicy.problem("u5", "u5u5u5u5u5u5u5u5")).hasValueSatisfying(problem -> assertThat(problem).contains("user name"));
        assertThat(PasswordPolicy.problem("maria", "Maria1234567!")).isPresent();
        assertThat(PasswordPolicy.problem("maria", "maria 2026 maria")).isPresent();

        assertThat(PasswordPolicy.problem("lawyer", "correct horse battery")).isEmpty();
        assertThat(PasswordPolicy.problem("lawyer", "alllowercaseletters")).as("no composition rules").isEmpty();
        assertThat(PasswordPolicy.problem("lawyer", "Ծիրանի ծառ ու մեղու")).as("any script").isEmpty();
        assertThat(PasswordPolicy.problem("lawyer", "lawyers of the hague")).as("the name inside a phrase").isEmpty();
        assertThat(PasswordPolicy.problem("lawyer", "abcdefghijkl0")).as("a run that stops").isEmpty();
        assertThat(PasswordPolicy.problem("lawyer", "aaaaaaaaaaab")).as("almost a repetition").isEmpty();
    }
}
