//! Validation of assignment, deletion, augmented-assignment and annotation targets,
//! producing CPython's messages ("cannot assign to function call here. Maybe you meant
//! '==' instead of '='?", "cannot delete literal", ...).

use super::{PResult, Parser};
use crate::ast::*;

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ctx {
    Store,
    Del,
}

/// CPython's `_PyPegen_get_expr_name`: how an expression is named in error messages.
pub(crate) fn expr_name(e: &Expr) -> &'static str {
    match e.kind {
        ExprKind::Attribute { .. } => "attribute",
        ExprKind::Subscript { .. } => "subscript",
        ExprKind::Starred { .. } => "starred",
        ExprKind::Name { .. } => "name",
        ExprKind::List { .. } => "list",
        ExprKind::Tuple { .. } => "tuple",
        ExprKind::Lambda { .. } => "lambda",
        ExprKind::Call { .. } => "function call",
        ExprKind::BoolOp { .. } | ExprKind::BinOp { .. } | ExprKind::UnaryOp { .. } => "expression",
        ExprKind::GeneratorExp { .. } => "generator expression",
        ExprKind::Yield { .. } | ExprKind::YieldFrom { .. } => "yield expression",
        ExprKind::Await { .. } => "await expression",
        ExprKind::ListComp { .. } => "list comprehension",
        ExprKind::SetComp { .. } => "set comprehension",
        ExprKind::DictComp { .. } => "dict comprehension",
        ExprKind::Dict { .. } => "dict literal",
        ExprKind::Set { .. } => "set display",
        ExprKind::JoinedStr { .. } | ExprKind::FormattedValue { .. } => "f-string expression",
        ExprKind::Constant(Constant::None) => "None",
        ExprKind::Constant(Constant::True) => "True",
        ExprKind::Constant(Constant::False) => "False",
        ExprKind::Constant(Constant::Ellipsis) => "ellipsis",
        ExprKind::Constant(_) => "literal",
        ExprKind::Compare { .. } => "comparison",
        ExprKind::IfExp { .. } => "conditional expression",
        ExprKind::NamedExpr { .. } => "named expression",
        ExprKind::Slice { .. } => "slice",
    }
}

/// CPython's `_PyPegen_get_invalid_target`: the first sub-expression that cannot be a target.
fn invalid_target<'a>(e: &Expr<'a>, ctx: Ctx) -> Option<Expr<'a>> {
    match e.kind {
        ExprKind::Tuple { elts, .. } | ExprKind::List { elts } => elts.iter().find_map(|x| invalid_target(x, ctx)),
        ExprKind::Starred { value } => {
            if ctx == Ctx::Del {
                Some(*e)
            } else {
                invalid_target(value, ctx)
            }
        }
        ExprKind::Name { .. } | ExprKind::Subscript { .. } | ExprKind::Attribute { .. } => None,
        _ => Some(*e),
    }
}

impl<'a, 's> Parser<'a, 's> {
    /// Targets of `for`, `with ... as`, comprehensions and `del`.
    pub(crate) fn check_target(&self, e: &Expr<'a>, ctx: Ctx) -> PResult<()> {
        if let Some(bad) = invalid_target(e, ctx) {
            let verb = if ctx == Ctx::Del { "delete" } else { "assign to" };
            return Err(self.error_at_span(&format!("cannot {verb} {}", expr_name(&bad)), bad.span));
        }
        if ctx == Ctx::Store {
            self.check_starred(e)?;
        }
        Ok(())
    }

    /// A target of `=`.
    pub(crate) fn check_assign_target(&self, e: &Expr<'a>) -> PResult<()> {
        if let ExprKind::Yield { .. } | ExprKind::YieldFrom { .. } = e.kind {
            return Err(self.error_at_span("assignment to yield expression not possible", e.span));
        }
        if let Some(bad) = invalid_target(e, Ctx::Store) {
            let name = expr_name(&bad);
            // The element directly before `=` gets the "Maybe you meant '=='" hint, unless
            // it is a display or a keyword constant (CPython's invalid_named_expression).
            let directly_before_eq = match e.kind {
                ExprKind::Tuple { elts, parenthesized: false } => elts.last().map(|l| l.span) == Some(bad.span),
                _ => e.span == bad.span,
            };
            let hint = directly_before_eq
                && !matches!(
                    bad.kind,
                    ExprKind::List { .. }
                        | ExprKind::Tuple { .. }
                        | ExprKind::GeneratorExp { .. }
                        | ExprKind::Constant(Constant::None | Constant::True | Constant::False)
                );
            let msg = if hint {
                format!("cannot assign to {name} here. Maybe you meant '==' instead of '='?")
            } else {
                format!("cannot assign to {name}")
            };
            return Err(self.error_at_span(&msg, bad.span));
        }
        self.check_starred(e)
    }

    /// Starred targets: only inside a tuple or list, at most one per level.
    fn check_starred(&self, e: &Expr<'a>) -> PResult<()> {
        match e.kind {
            ExprKind::Starred { .. } => {
                Err(self.error_at_span("starred assignment target must be in a list or tuple", e.span))
            }
            ExprKind::Tuple { elts, .. } | ExprKind::List { elts } => {
                let stars = elts.iter().filter(|x| matches!(x.kind, ExprKind::Starred { .. })).count();
                if stars > 1 {
                    return Err(self.error_at_span("multiple starred expressions in assignment", e.span));
                }
                for x in elts {
                    match x.kind {
                        ExprKind::Starred { value } => self.check_starred_inner(value)?,
                        _ => self.check_starred(x)?,
                    }
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    fn check_starred_inner(&self, e: &Expr<'a>) -> PResult<()> {
        match e.kind {
            ExprKind::Tuple { .. } | ExprKind::List { .. } => self.check_starred(e),
            _ => Ok(()),
        }
    }

    pub(crate) fn check_aug_target(&self, e: &Expr<'a>) -> PResult<()> {
        match e.kind {
            ExprKind::Name { .. } | ExprKind::Attribute { .. } | ExprKind::Subscript { .. } => Ok(()),
            _ => Err(self.error_at_span(
                &format!("'{}' is an illegal expression for augmented assignment", expr_name(e)),
                e.span,
            )),
        }
    }

    pub(crate) fn check_ann_target(&self, e: &Expr<'a>) -> PResult<()> {
        match e.kind {
            ExprKind::Name { .. } | ExprKind::Attribute { .. } | ExprKind::Subscript { .. } => Ok(()),
            ExprKind::Tuple { .. } => Err(self.error_at_span("only single target (not tuple) can be annotated", e.span)),
            ExprKind::List { .. } => Err(self.error_at_span("only single target (not list) can be annotated", e.span)),
            _ => Err(self.error_at_span("illegal target for annotation", e.span)),
        }
    }
}
