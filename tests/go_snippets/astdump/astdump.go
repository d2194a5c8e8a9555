// Command astdump prints Go's own syntax tree (go/ast) of each file given on
// the command line in the canonical S-expression form that canon() in
// tests/test_grammar.py prints for gcheck's goast trees, so that tests can
// compare gcheck's parser with Go's node for node. Leaves carry line:col.
package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"strings"
)

var fset = token.NewFileSet()

type printer struct{ b strings.Builder }

func (p *printer) w(s string) { p.b.WriteString(s) }

func (p *printer) pos(pos token.Pos) {
	ps := fset.PositionFor(pos, false) // physical position: ignore //line directives
	fmt.Fprintf(&p.b, "@%d:%d", ps.Line, ps.Column)
}

func (p *printer) open(kind string) { p.w("(" + kind) }
func (p *printer) close()           { p.w(")") }
func (p *printer) sp()              { p.w(" ") }
func (p *printer) nil_()            { p.w("_") }

func (p *printer) exprs(xs []ast.Expr) {
	p.w("[")
	for i, x := range xs {
		if i > 0 {
			p.sp()
		}
		p.expr(x)
	}
	p.w("]")
}

func (p *printer) idents(xs []*ast.Ident) {
	p.w("[")
	for i, x := range xs {
		if i > 0 {
			p.sp()
		}
		p.ident(x)
	}
	p.w("]")
}

func (p *printer) ident(x *ast.Ident) {
	if x == nil {
		p.nil_()
		return
	}
	p.w(x.Name)
	p.pos(x.NamePos)
}

func (p *printer) fields(fl *ast.FieldList) {
	p.w("[")
	if fl != nil {
		for i, f := range fl.List {
			if i > 0 {
				p.sp()
			}
			p.field(f)
		}
	}
	p.w("]")
}

func (p *printer) field(f *ast.Field) {
	p.open("Field")
	p.sp()
	p.idents(f.Names)
	p.sp()
	p.expr(f.Type)
	p.sp()
	if f.Tag != nil {
		p.expr(f.Tag)
	} else {
		p.nil_()
	}
	p.close()
}

func (p *printer) funcType(t *ast.FuncType) {
	p.open("FuncType")
	p.sp()
	p.fields(t.TypeParams)
	p.sp()
	p.fields(t.Params)
	p.sp()
	p.fields(t.Results)
	p.close()
}

func (p *printer) expr(x ast.Expr) {
	if x == nil {
		p.nil_()
		return
	}
	switch x := x.(type) {
	case *ast.Ident:
		p.ident(x)
	case *ast.BasicLit:
		fmt.Fprintf(&p.b, "(Lit %s %d %s", x.Kind, len(x.Value), x.Value)
		p.pos(x.ValuePos)
		p.close()
	case *ast.CompositeLit:
		p.open("Composite")
		p.sp()
		p.expr(x.Type)
		p.sp()
		p.exprs(x.Elts)
		p.close()
	case *ast.KeyValueExpr:
		p.open("KV")
		p.sp()
		p.expr(x.Key)
		p.sp()
		p.expr(x.Value)
		p.close()
	case *ast.FuncLit:
		p.open("FuncLit")
		p.sp()
		p.funcType(x.Type)
		p.sp()
		p.stmt(x.Body)
		p.close()
	case *ast.ParenExpr:
		p.open("Paren")
		p.sp()
		p.expr(x.X)
		p.close()
	case *ast.SelectorExpr:
		p.open("Sel")
		p.sp()
		p.expr(x.X)
		p.sp()
		p.ident(x.Sel)
		p.close()
	case *ast.IndexExpr:
		p.open("Index")
		p.sp()
		p.expr(x.X)
		p.sp()
		p.exprs([]ast.Expr{x.Index})
		p.close()
	case *ast.IndexListExpr:
		p.open("Index")
		p.sp()
		p.expr(x.X)
		p.sp()
		p.exprs(x.Indices)
		p.close()
	case *ast.SliceExpr:
		p.open("Slice")
		for _, e := range []ast.Expr{x.X, x.Low, x.High, x.Max} {
			p.sp()
			p.expr(e)
		}
		fmt.Fprintf(&p.b, " %v", x.Slice3)
		p.close()
	case *ast.TypeAssertExpr:
		p.open("Assert")
		p.sp()
		p.expr(x.X)
		p.sp()
		p.expr(x.Type)
		p.close()
	case *ast.CallExpr:
		p.open("Call")
		p.sp()
		p.expr(x.Fun)
		p.sp()
		p.exprs(x.Args)
		fmt.Fprintf(&p.b, " %v", x.Ellipsis.IsValid())
		p.close()
	case *ast.StarExpr:
		p.open("Star")
		p.sp()
		p.expr(x.X)
		p.close()
	case *ast.UnaryExpr:
		p.open("Unary " + x.Op.String())
		p.sp()
		p.expr(x.X)
		p.close()
	case *ast.BinaryExpr:
		p.open("Binary " + x.Op.String())
		p.sp()
		p.expr(x.X)
		p.sp()
		p.expr(x.Y)
		p.close()
	case *ast.Ellipsis:
		p.open("Ellipsis")
		if x.Elt != nil {
			p.sp()
			p.expr(x.Elt)
		}
		p.close()
	case *ast.ArrayType:
		p.open("Array")
		p.sp()
		p.expr(x.Len)
		p.sp()
		p.expr(x.Elt)
		p.close()
	case *ast.StructType:
		p.open("Struct")
		p.sp()
		p.fields(x.Fields)
		p.close()
	case *ast.FuncType:
		p.funcType(x)
	case *ast.InterfaceType:
		p.open("Interface")
		p.sp()
		p.fields(x.Methods)
		p.close()
	case *ast.MapType:
		p.open("Map")
		p.sp()
		p.expr(x.Key)
		p.sp()
		p.expr(x.Value)
		p.close()
	case *ast.ChanType:
		dir := "both"
		if x.Dir == ast.SEND {
			dir = "send"
		} else if x.Dir == ast.RECV {
			dir = "recv"
		}
		p.open("Chan " + dir)
		p.sp()
		p.expr(x.Value)
		p.close()
	default:
		p.w(fmt.Sprintf("(UNKNOWN %T)", x))
	}
}

func (p *printer) stmts(list []ast.Stmt) {
	p.w("[")
	first := true
	for _, s := range list {
		if _, ok := s.(*ast.EmptyStmt); ok {
			continue
		}
		if !first {
			p.sp()
		}
		first = false
		p.stmt(s)
	}
	p.w("]")
}

func (p *printer) optStmt(s ast.Stmt) {
	if s == nil {
		p.nil_()
		return
	}
	p.stmt(s)
}

func (p *printer) stmt(s ast.Stmt) {
	switch s := s.(type) {
	case *ast.BlockStmt:
		p.open("Block")
		p.sp()
		p.stmts(s.List)
		p.close()
	case *ast.DeclStmt:
		p.open("DeclStmt")
		p.sp()
		p.decl(s.Decl)
		p.close()
	case *ast.EmptyStmt:
		p.w("(Empty)")
	case *ast.LabeledStmt:
		p.open("Labeled")
		p.sp()
		p.ident(s.Label)
		p.sp()
		p.stmt(s.Stmt)
		p.close()
	case *ast.ExprStmt:
		p.open("Expr")
		p.sp()
		p.expr(s.X)
		p.close()
	case *ast.SendStmt:
		p.open("Send")
		p.sp()
		p.expr(s.Chan)
		p.sp()
		p.expr(s.Value)
		p.close()
	case *ast.IncDecStmt:
		p.open("IncDec " + s.Tok.String())
		p.sp()
		p.expr(s.X)
		p.close()
	case *ast.AssignStmt:
		p.open("Assign")
		p.sp()
		p.exprs(s.Lhs)
		p.w(" " + s.Tok.String() + " ")
		p.exprs(s.Rhs)
		p.close()
	case *ast.GoStmt:
		p.open("Go")
		p.sp()
		p.expr(s.Call)
		p.close()
	case *ast.DeferStmt:
		p.open("Defer")
		p.sp()
		p.expr(s.Call)
		p.close()
	case *ast.ReturnStmt:
		p.open("Return")
		p.sp()
		p.exprs(s.Results)
		p.close()
	case *ast.BranchStmt:
		p.open("Branch " + s.Tok.String())
		p.sp()
		p.ident(s.Label)
		p.close()
	case *ast.IfStmt:
		p.open("If")
		p.sp()
		p.optStmt(s.Init)
		p.sp()
		p.expr(s.Cond)
		p.sp()
		p.stmt(s.Body)
		p.sp()
		p.optStmt(s.Else)
		p.close()
	case *ast.CaseClause:
		p.open("Case")
		p.sp()
		p.exprs(s.List)
		p.sp()
		p.stmts(s.Body)
		fmt.Fprintf(&p.b, " %v", s.List == nil)
		p.close()
	case *ast.SwitchStmt:
		p.open("Switch")
		p.sp()
		p.optStmt(s.Init)
		p.sp()
		p.expr(s.Tag)
		p.sp()
		p.stmts(s.Body.List)
		p.close()
	case *ast.TypeSwitchStmt:
		p.open("TypeSwitch")
		p.sp()
		p.optStmt(s.Init)
		var bind *ast.Ident
		var x ast.Expr
		switch a := s.Assign.(type) {
		case *ast.AssignStmt:
			bind = a.Lhs[0].(*ast.Ident)
			x = a.Rhs[0].(*ast.TypeAssertExpr).X
		case *ast.ExprStmt:
			x = a.X.(*ast.TypeAssertExpr).X
		}
		p.sp()
		p.ident(bind)
		p.sp()
		p.expr(x)
		p.sp()
		p.stmts(s.Body.List)
		p.close()
	case *ast.CommClause:
		p.open("Comm")
		p.sp()
		p.optStmt(s.Comm)
		p.sp()
		p.stmts(s.Body)
		p.close()
	case *ast.SelectStmt:
		p.open("Select")
		p.sp()
		p.stmts(s.Body.List)
		p.close()
	case *ast.ForStmt:
		p.open("For")
		p.sp()
		p.optStmt(s.Init)
		p.sp()
		p.expr(s.Cond)
		p.sp()
		p.optStmt(s.Post)
		p.sp()
		p.stmt(s.Body)
		p.close()
	case *ast.RangeStmt:
		tok := ""
		if s.Key != nil {
			tok = s.Tok.String()
		}
		p.open("Range")
		p.sp()
		p.expr(s.Key)
		p.sp()
		p.expr(s.Value)
		p.w(" '" + tok + "' ")
		p.expr(s.X)
		p.sp()
		p.stmt(s.Body)
		p.close()
	default:
		p.w(fmt.Sprintf("(UNKNOWN %T)", s))
	}
}

func (p *printer) decl(d ast.Decl) {
	switch d := d.(type) {
	case *ast.GenDecl:
		p.open("GenDecl " + d.Tok.String())
		p.w(" [")
		for i, s := range d.Specs {
			if i > 0 {
				p.sp()
			}
			switch s := s.(type) {
			case *ast.ImportSpec:
				p.open("Import")
				p.sp()
				p.ident(s.Name)
				p.sp()
				p.expr(s.Path)
				p.close()
			case *ast.ValueSpec:
				iota := 0
				if d.Tok == token.CONST {
					iota = i
				}
				p.open("Value")
				p.sp()
				p.idents(s.Names)
				p.sp()
				p.expr(s.Type)
				p.sp()
				p.exprs(s.Values)
				fmt.Fprintf(&p.b, " %d", iota)
				p.close()
			case *ast.TypeSpec:
				p.open("TypeSpec")
				p.sp()
				p.ident(s.Name)
				p.sp()
				p.fields(s.TypeParams)
				fmt.Fprintf(&p.b, " %v ", s.Assign.IsValid())
				p.expr(s.Type)
				p.close()
			}
		}
		p.w("]")
		p.close()
	case *ast.FuncDecl:
		p.open("Func")
		p.sp()
		if d.Recv != nil && len(d.Recv.List) > 0 {
			p.field(d.Recv.List[0])
		} else {
			p.nil_()
		}
		p.sp()
		p.ident(d.Name)
		p.sp()
		p.funcType(d.Type)
		p.sp()
		if d.Body != nil {
			p.stmt(d.Body)
		} else {
			p.nil_()
		}
		p.close()
	}
}

func (p *printer) file(f *ast.File) {
	p.open("File")
	p.sp()
	p.ident(f.Name)
	p.w(" [")
	for i, d := range f.Decls {
		if i > 0 {
			p.sp()
		}
		p.decl(d)
	}
	p.w("] [")
	first := true
	for _, g := range f.Comments {
		for _, c := range g.List {
			if !first {
				p.sp()
			}
			first = false
			fmt.Fprintf(&p.b, "(C %d %s", len(c.Text), c.Text)
			p.pos(c.Slash)
			p.close()
		}
	}
	p.w("])")
}

func main() {
	for _, path := range os.Args[1:] {
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments|parser.SkipObjectResolution)
		fmt.Printf("\x01=== %s\n", path)
		if err != nil {
			fmt.Printf("ERROR %s\n", strings.ReplaceAll(err.Error(), "\n", " "))
			continue
		}
		var p printer
		p.file(f)
		fmt.Println(p.b.String())
	}
}
