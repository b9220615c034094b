package org.custody.access;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordPolicyTest {
    @Test
    void lengthUserNameAndCommonPasswordsDecideNothingElse() {
        assertThat(PasswordPolicy.problem("lawyer", "short")).hasValueSatisfying(problem -> assertThat(problem).contains("12"));
        assertThat(PasswordPolicy.problem("lawyer", "x".repeat(1025))).isPresent();
        assertThat(PasswordPolicy.problem("administrator", "Administrator")).isPresent();
        assertThat(PasswordPolicy.problem("lawyer", "Password1234")).hasValue("is one of the most common passwords");
        assertThat(PasswordPolicy.problem("lawyer", "qwerty123456")).isPresent();
        assertThat(PasswordPolicy.problem("lawyer", "correct horse battery")).isEmpty();
        assertThat(PasswordPolicy.problem("lawyer", "alllowercaseletters")).as("no composition rules").isEmpty();
        assertThat(PasswordPolicy.problem("lawyer", "Ծիրանի ծառ ու մեղու")).as("any script").isEmpty();
    }
}
